using System.Buffers;
using System.Net;
using System.Text;

namespace Cables.Parsing.Fields;

/// <summary>
/// The SUBJECT: whole (continuation lines joined), entities decoded, whitespace collapsed, and by default without
/// its leading classification marking (<c>(S) GERMANY …</c> → <c>GERMANY …</c>).
/// </summary>
internal static class Subjects
{
    private const int MaxLines = 8;

    public static string? Parse(string content) => Parse(content, removeMarking: true);

    public static string? Parse(string content, bool removeMarking)
    {
        if (string.IsNullOrEmpty(content))
        {
            return null;
        }

        var start = FindKeyword(content);
        if (start < 0)
        {
            return null;
        }

        // "FRUSTRATION \\\nLEAD": a backslash before the line end is a rendering artefact.
        var text = content.AsSpan(start, Math.Min(content.Length - start, 2000)).ToString().Replace("\\\n", "\n", StringComparison.Ordinal)
            .Replace("\\", "", StringComparison.Ordinal);
        var lines = text.Split('\n');
        var sb = new StringBuilder();
        var taken = 0;
        var upperOnly = true;
        foreach (var rawLine in lines)
        {
            var line = rawLine.Trim();
            if (line.Length == 0)
            {
                if (sb.Length == 0)
                {
                    continue;
                }

                break;
            }

            if (taken > 0 && (IsNextField(line) || upperOnly && line.Any(char.IsLower) && line.Any(char.IsUpper) && sb.ToString().Any(char.IsUpper)))
            {
                break;
            }

            var cut = CutInline(line, out var stopped);
            var part = line[..cut].Trim();
            if (part.Length > 0)
            {
                if (sb.Length > 0 && sb[^1] != '-')
                {
                    sb.Append(' ');
                }

                sb.Append(part);
                upperOnly &= !part.Any(char.IsLower);
            }

            taken++;
            if (stopped || taken >= MaxLines)
            {
                break;
            }
        }

        var subject = Collapse(WebUtility.HtmlDecode(sb.ToString()));
        return removeMarking ? WithoutMarking(subject) : subject;
    }

    /// <summary>SUBJECT / SUBJ / UBJECT at a word start, followed by a colon or a space (not the "SUBJECT LINE" of a correction notice).</summary>
    private static int FindKeyword(string content)
    {
        foreach (var (word, search) in SubjectWords)
        {
            for (var i = TextSearch.IndexOf(content, search); i >= 0; i = TextSearch.IndexOf(content, search, i + 1))
            {
                if (i > 0 && (char.IsAsciiLetter(content[i - 1]) || content[i - 1] is '/' or '('))
                {
                    continue;
                }

                var j = i + word.Length;
                if (j >= content.Length || char.IsAsciiLetterOrDigit(content[j]))
                {
                    continue;
                }

                if (content.AsSpan(j).TrimStart(" :").StartsWith("LINE", StringComparison.Ordinal))
                {
                    continue;
                }

                // Without a colon only the capitalised field name counts ("SUBJECT SAG AGREES"), not "subject of negotiations".
                if (content[j] != ':' && !char.IsAsciiLetterUpper(content[i + 1]))
                {
                    continue;
                }

                while (j < content.Length && content[j] is ':' or ' ' or '\t')
                {
                    j++;
                }

                return j;
            }
        }

        return -1;
    }

    private static readonly (string Word, SearchValues<string> Search)[] SubjectWords =
        [("SUBJECT", TextSearch.IgnoreCase("SUBJECT")), ("SUBJ", TextSearch.IgnoreCase("SUBJ")), ("UBJECT", TextSearch.IgnoreCase("UBJECT"))];

    private static bool IsNextField(string line)
    {
        foreach (var field in (ReadOnlySpan<string>)["REF", "Ref", "TAGS", "E.O.", "Classified", "CLASSIFIED", "1.", "¶", "SUMMARY", "Summary",
                     "(SBU)", "(C)", "(U)", "(S)", "---", "===", "PAGE ", "C O N", "S E C", "U N C", "SENSITIVE", "Sensitive", "This is", "THIS IS"])
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return true;
            }
        }

        // "PRETORIA 00000954 001.2 OF 004": the page marker of the newer format.
        return line.Contains(" OF ", StringComparison.Ordinal) && line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Any(p => p.Length >= 8 && p.All(char.IsAsciiDigit));
    }

    /// <summary>Where a subject line runs into the next field: "… PRIMEREF: A.", "… CAIROClassified By:", "REFS: (A)".</summary>
    private static int CutInline(string line, out bool stopped)
    {
        var cut = line.Length;
        foreach (var stop in (ReadOnlySpan<string>)["REF:", "REFS:", "Ref:", "Refs:", "Ref(s):", "REFTEL", "REF A", "Reftel:", "Classified By", "CLASSIFIED BY",
                     "Classified by", "Sensitive but", "SENSITIVE BUT"])
        {
            var at = line.IndexOf(stop, StringComparison.Ordinal);
            if (at > 0 && at < cut)
            {
                cut = at;
            }
        }

        // A page marker the rendering ran into the subject's line ends the subject.
        var marker = Telegram.TelegramText.InlinePageMarker(line.AsSpan(0, cut));
        if (marker > 0)
        {
            cut = marker;
        }

        stopped = cut < line.Length;
        return cut;
    }

    private static string Collapse(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            if (char.IsWhiteSpace(c))
            {
                if (sb.Length > 0 && sb[^1] != ' ')
                {
                    sb.Append(' ');
                }
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString().Trim();
    }

    /// <summary>Drops a leading classification marking: (U), (C), (S), (SBU), (C/NF), (S//NF), (U//FOUO).</summary>
    internal static string WithoutMarking(string subject)
    {
        if (subject.Length < 3 || subject[0] != '(')
        {
            return subject;
        }

        var close = subject.IndexOf(')', StringComparison.Ordinal);
        if (close < 2 || close > 12)
        {
            return subject;
        }

        var marking = subject.AsSpan(1, close - 1);
        foreach (var c in marking)
        {
            if (c is not ('U' or 'C' or 'S' or 'N' or 'F' or 'B' or 'O' or '/' or 'T'))
            {
                return subject;
            }
        }

        return subject[(close + 1)..].TrimStart();
    }
}
