using Cables.Parsing.Model;

namespace Cables.Parsing.Fields;

/// <summary>
/// TO and INFO addressees of a telegram header: <c>RUEHC/SECSTATE WASHDC IMMEDIATE 4696</c> → route, name,
/// precedence, message continuity number. An <c>XMT</c> line lists addressees the collective above it is not sent to.
/// </summary>
internal static class Recipients
{
    private static readonly string[] Precedences = ["NIACT IMMEDIATE", "IMMEDIATE", "PRIORITY", "ROUTINE", "FLASH", "NIACT"];

    public static IReadOnlyList<Recipient> ParseTo(string header) => ParseSection(header, "TO");

    public static IReadOnlyList<Recipient> ParseInfo(string header) => ParseSection(header, "INFO");

    private static List<Recipient> ParseSection(string header, string keyword)
    {
        var result = new List<Recipient>();
        if (string.IsNullOrEmpty(header))
        {
            return result;
        }

        var lines = header.Split('\n');
        var start = Array.FindIndex(lines, l => StartsWithWord(l.TrimStart(), keyword));
        if (start < 0)
        {
            return result;
        }

        List<string>? exclusions = null;
        for (var n = start; n < lines.Length; n++)
        {
            var line = lines[n].Trim();
            if (n == start)
            {
                line = line[keyword.Length..].Trim();
            }
            else if (line.Length == 0 || line == "BT" || StartsWithWord(line, "INFO") || StartsWithWord(line, "TO") || line.StartsWith("E.O.", StringComparison.Ordinal))
            {
                break;
            }

            line = WithoutPageHeader(line);
            if (line.Length == 0)
            {
                continue;
            }

            if (StartsWithWord(line, "XMT") || line.StartsWith("XMT/", StringComparison.Ordinal))
            {
                // XMT: the collective before it is not sent to these addressees (this line and the following ones).
                if (result.Count == 0)
                {
                    exclusions = [];
                    continue;
                }

                exclusions = [];
                var last = result[^1];
                result[^1] = last with { Exclusions = exclusions };
                exclusions.Add(line[4..].Trim());
                continue;
            }

            if (exclusions is not null)
            {
                if (result.Count > 0)
                {
                    exclusions.Add(line);
                }

                continue;
            }

            result.Add(ParseAddressee(line));
        }

        return result;
    }

    private static Recipient ParseAddressee(string line)
    {
        string? route = null;
        var slash = line.IndexOf('/', StringComparison.Ordinal);
        if (slash is >= 4 and <= 8 && line.AsSpan(0, slash).IndexOfAnyExceptInRange('A', 'Z') < 0)
        {
            route = line[..slash];
            line = line[(slash + 1)..].Trim();
        }

        string? mcn = null;
        var space = line.LastIndexOf(' ');
        if (space > 0 && line.AsSpan(space + 1).Length is >= 3 and <= 5 && line.AsSpan(space + 1).IndexOfAnyExceptInRange('0', '9') < 0)
        {
            mcn = line[(space + 1)..];
            line = line[..space].TrimEnd();
        }

        string? precedence = null;
        foreach (var p in Precedences)
        {
            if (line.EndsWith(" " + p, StringComparison.Ordinal))
            {
                precedence = p;
                line = line[..^(p.Length + 1)].TrimEnd();
                break;
            }
        }

        return new Recipient { RoutingIndicator = route, Name = line, Precedence = precedence, MessageContinuityNumber = mcn };
    }

    /// <summary>"PAGE 02        STATE   023763  071504Z": a page header that landed on an addressee line.</summary>
    private static string WithoutPageHeader(string line)
    {
        if (!line.StartsWith("PAGE ", StringComparison.Ordinal))
        {
            return line;
        }

        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var end = Array.FindIndex(parts, p => p.Length == 7 && p[^1] == 'Z' && p.AsSpan(0, 6).IndexOfAnyExceptInRange('0', '9') < 0);
        return end < 0 ? "" : string.Join(' ', parts.Skip(end + 1));
    }

    private static bool StartsWithWord(string line, string word) =>
        line.StartsWith(word, StringComparison.Ordinal) && (line.Length == word.Length || line[word.Length] == ' ');
}
