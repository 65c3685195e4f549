namespace Cables.Testing;

/// <summary>The folder holding CableService.sln, found upwards from the test assembly: for tests that read the docs.</summary>
internal static class RepositoryFolder
{
    private static readonly Lazy<string> s_root = new(Locate);

    public static string Root => s_root.Value;

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "CableService.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("CableService.sln not found above the test assembly");
    }
}
