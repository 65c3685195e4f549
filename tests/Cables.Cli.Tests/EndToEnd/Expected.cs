using System.Globalization;
using System.Text.RegularExpressions;
using Cables.Parsing;

namespace Cables.Cli.Tests.EndToEnd;

/// <summary>What the service should answer for some inputs, worked out by parsing them here with the same parser.</summary>
internal sealed partial record Expected(int Items, int Accepted, IReadOnlySet<string> ReferenceIds, IReadOnlyList<string> RejectedSources)
{
    public static Expected For(params string[] paths)
    {
        var items = CableSource.FromPaths(paths).Read().ToList();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var rejected = new List<string>();
        foreach (var item in items)
        {
            var cable = item.Cable is null ? null : CableParser.Parse(item.Cable);
            if (cable?.ReferenceId is { } id && cable.Created is not null)
            {
                ids.Add(id);
            }
            else
            {
                rejected.Add(item.Source); // the service's NO_REFERENCE_ID / NO_DATE
            }
        }

        return new Expected(items.Count, items.Count - rejected.Count, ids, rejected);
    }

    /// <summary>The outcome counts from an ingest summary line.</summary>
    public static Dictionary<string, long> Summary(string output)
    {
        var line = output.Split('\n').Single(l => l.StartsWith("ingested ", StringComparison.Ordinal));
        var counts = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["total"] = long.Parse(TotalPattern().Match(line).Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture),
        };
        foreach (Match match in CountPattern().Matches(line))
        {
            counts[match.Groups[1].Value] = long.Parse(match.Groups[2].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        }

        return counts;
    }

    [GeneratedRegex(@"^ingested ([\d,]+) cables")]
    private static partial Regex TotalPattern();

    [GeneratedRegex(@"(created|unchanged|revised|rejected|skipped|reconnects?) ([\d,]+)")]
    private static partial Regex CountPattern();
}
