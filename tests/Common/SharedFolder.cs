namespace Cables.Testing;

/// <summary>
/// The read-only <c>shared/</c> folder beside the repository (corpus, conformance vectors).
/// <c>CABLES_SHARED_DIR</c> overrides; otherwise it is <c>../shared</c> from the folder holding CableService.sln.
/// </summary>
internal static class SharedFolder
{
    private static readonly Lazy<string> s_root = new(Locate);

    public static string Root => s_root.Value;

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("CABLES_SHARED_DIR");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        var shared = System.IO.Path.GetFullPath(System.IO.Path.Combine(RepositoryFolder.Root, "..", "shared"));
        return Directory.Exists(shared)
            ? shared
            : throw new DirectoryNotFoundException($"shared/ not found beside the repository at {shared}; set CABLES_SHARED_DIR");
    }
}
