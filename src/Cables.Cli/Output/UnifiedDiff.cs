using System.Globalization;

namespace Cables.Cli.Output;

/// <summary>
/// A <c>DiffCableRevisions</c> answer as a unified diff (<c>diff -u</c>, readable by <c>patch</c>), after one line naming
/// the parsed fields that changed. ANSI colours only for a terminal: piped or redirected output stays plain text.
/// </summary>
public static class UnifiedDiff
{
    private const string Reset = "\e[0m";
    private const string Bold = "\e[1m";
    private const string Cyan = "\e[36m";
    private const string Red = "\e[31m";
    private const string Green = "\e[32m";

    /// <summary>Colours for the process's own stdout when it is a terminal and NO_COLOR is unset; never for another writer.</summary>
    public static bool ColorsFor(TextWriter writer) =>
        ReferenceEquals(writer, Console.Out)
        && !Console.IsOutputRedirected
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

    public static async Task WriteAsync(TextWriter writer, V1.DiffCableRevisionsResponse diff, bool colors)
    {
        var fields = diff.ChangedFields.Count == 0 ? "none" : string.Join(", ", diff.ChangedFields);
        await writer.WriteLineAsync(Paint(colors, Bold, $"changed fields: {fields}"));
        if (diff.Hunks.Count == 0)
        {
            return;
        }

        await writer.WriteLineAsync(Paint(colors, Bold, $"--- {diff.ReferenceId} revision {diff.FromRevision}"));
        await writer.WriteLineAsync(Paint(colors, Bold, $"+++ {diff.ReferenceId} revision {diff.ToRevision}"));
        foreach (var hunk in diff.Hunks)
        {
            await writer.WriteLineAsync(Paint(colors, Cyan, $"@@ -{Range(hunk.FromStart, hunk.FromCount)} +{Range(hunk.ToStart, hunk.ToCount)} @@"));
            foreach (var line in hunk.Lines)
            {
                (char Mark, string? Color) style = line.Kind switch
                {
                    V1.DiffLineKind.Deleted => ('-', Red),
                    V1.DiffLineKind.Inserted => ('+', Green),
                    _ => (' ', null),
                };
                await writer.WriteLineAsync(Paint(colors, style.Color, style.Mark + line.Text));
            }
        }
    }

    /// <summary>As <c>diff -u</c> writes a range: the count is left out when it is 1.</summary>
    private static string Range(int start, int count) =>
        count == 1 ? start.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{start},{count}");

    private static string Paint(bool colors, string? color, string text) => colors && color is not null ? color + text + Reset : text;
}
