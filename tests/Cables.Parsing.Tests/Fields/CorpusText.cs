namespace Cables.Parsing.Tests.Fields;

/// <summary>The corpus telegrams, read once per test run.</summary>
internal static class CorpusText
{
    private static readonly Lazy<IReadOnlyList<(string Id, string Text)>> s_cables = new(() =>
        [.. Directory.GetFiles(SharedFolder.Path("corpus", "cables"), "*.txt").Order()
            .Select(f => (Path.GetFileNameWithoutExtension(f), File.ReadAllText(f)))]);

    public static IReadOnlyList<(string Id, string Text)> Cables => s_cables.Value;

    /// <summary>The header (up to the first blank line) and the body of a telegram.</summary>
    public static (string Header, string Body) Split(string text)
    {
        var blank = text.IndexOf("\n\n", StringComparison.Ordinal);
        return blank < 0 ? ("", text) : (text[..blank], text[(blank + 2)..]);
    }
}
