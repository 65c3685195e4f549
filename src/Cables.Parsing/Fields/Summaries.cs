using System.Buffers;
using System.Text;

namespace Cables.Parsing.Fields;

/// <summary>
/// The summary: "SUMMARY: … END SUMMARY" and its variants (a SUMMARY heading over numbered paragraphs, "Summary and
/// Comment", "Summary/Comment", a first paragraph closed by "End Summary"). Paragraph numbers and markings are dropped;
/// lines are kept, blank lines removed.
/// </summary>
internal static class Summaries
{
    private const int MaxLength = 20_000;

    private static readonly SearchValues<string> EndWord = TextSearch.IgnoreCase("END");
    private static readonly SearchValues<string> SummaryWord = TextSearch.IgnoreCase("SUMMARY");

    public static string? Parse(string content, string? referenceId)
    {
        if (string.IsNullOrEmpty(content))
        {
            return null;
        }

        var end = FindEnd(content, 0);
        var start = FindStart(content, end < 0 ? content.Length : end);
        if (start < 0 && end >= 0)
        {
            // "1. (C) The August 31 … End Summary.": the paragraph holding the end marker is the summary.
            start = ParagraphStart(content, end);
        }

        if (start < 0)
        {
            return null;
        }

        var stop = end >= 0 && end > start ? end : FirstBlankLineAfterText(content, start);
        if (stop - start > MaxLength)
        {
            return null;
        }

        var text = Tidy(content.AsSpan(start, stop - start));
        return text.Length == 0 ? null : text;
    }

    /// <summary>"END SUMMARY" (also "End\nSummary"), not part of a longer word.</summary>
    private static int FindEnd(string content, int from)
    {
        for (var i = TextSearch.IndexOf(content, EndWord, from); i >= 0; i = TextSearch.IndexOf(content, EndWord, i + 3))
        {
            if (i > 0 && char.IsAsciiLetter(content[i - 1]))
            {
                continue;
            }

            var j = i + 3;
            while (j < content.Length && char.IsWhiteSpace(content[j]))
            {
                j++;
            }

            if (j > i + 3 && string.Compare(content, j, "SUMMARY", 0, 7, StringComparison.OrdinalIgnoreCase) == 0)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>After the SUMMARY keyword (and "AND COMMENT", "/Comment", ":" or "."); after the heading line when the keyword is a heading.</summary>
    private static int FindStart(string content, int before)
    {
        for (var i = TextSearch.IndexOf(content, SummaryWord); i >= 0 && i < before; i = TextSearch.IndexOf(content, SummaryWord, i + 7))
        {
            if ((i > 0 && char.IsAsciiLetter(content[i - 1])) || (i + 7 < content.Length && char.IsAsciiLetter(content[i + 7])))
            {
                continue;
            }

            var lineEnd = content.IndexOf('\n', i);
            if (lineEnd < 0)
            {
                lineEnd = content.Length;
            }

            // "SUBJECT: WEEKLY SUMMARY OF …" names the summary, it does not start it.
            var lineStart = content.LastIndexOf('\n', i) + 1;
            var lineHead = content.AsSpan(lineStart, i - lineStart).TrimStart();
            if (lineHead.StartsWith("SUBJ", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var j = i + 7;
            foreach (var tail in (ReadOnlySpan<string>)[" AND ACTION REQUEST", " AND COMMENT", "/COMMENT", " AND INTRODUCTION", " AND TABLE OF CONTENTS"])
            {
                if (string.Compare(content, j, tail, 0, tail.Length, StringComparison.OrdinalIgnoreCase) == 0)
                {
                    j += tail.Length;
                    break;
                }
            }

            while (j < lineEnd && content[j] is ':' or '.' or ' ' or '-' or '=' or '\r')
            {
                j++;
            }

            return j;
        }

        return -1;
    }

    private static int ParagraphStart(string content, int end)
    {
        var i = content.LastIndexOf("\n\n", end, StringComparison.Ordinal);
        var lineStart = i < 0 ? 0 : i + 2;
        while (lineStart < end && char.IsWhiteSpace(content[lineStart]))
        {
            lineStart++;
        }

        return lineStart < end && (char.IsAsciiDigit(content[lineStart]) || content[lineStart] == '¶') ? lineStart : -1;
    }

    private static int FirstBlankLineAfterText(string content, int start)
    {
        var seenText = false;
        var i = start;
        while (i < content.Length)
        {
            var nl = content.IndexOf('\n', i);
            var line = (nl < 0 ? content.AsSpan(i) : content.AsSpan(i, nl - i)).Trim();
            if (line.Length == 0 || line.StartsWith("--") || line.StartsWith("=="))
            {
                if (seenText)
                {
                    return i;
                }
            }
            else
            {
                var dashes = line.IndexOf("-----");
                if (seenText || dashes > 0)
                {
                    if (dashes > 0)
                    {
                        return i + (nl < 0 ? content.Length - i : nl - i) - line.Length + dashes;
                    }
                }

                if (!IsParagraphHeading(line))
                {
                    seenText = true;
                }
            }

            if (nl < 0)
            {
                return content.Length;
            }

            i = nl + 1;
        }

        return content.Length;
    }

    private static bool IsParagraphHeading(ReadOnlySpan<char> line) => line.TrimStart("¶0123456789. ").Length == 0;

    /// <summary>Drops paragraph numbers, markings and a repeated "Summary:" at line starts, blank lines, trailing punctuation of the end marker.</summary>
    private static string Tidy(ReadOnlySpan<char> text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var range in text.Split('\n'))
        {
            var line = ContentCleaner.StripParagraphPrefix(text[range].Trim());
            if (line.StartsWith("Summary", StringComparison.OrdinalIgnoreCase) && line.Length > 8 && line[7] is ':' or '.')
            {
                line = line[8..].TrimStart();
                line = ContentCleaner.StripParagraphPrefix(line);
            }

            if (line.Length == 0 || !line.ContainsAnyExcept("-=‐"))
            {
                continue;
            }

            if (sb.Length > 0)
            {
                sb.Append('\n');
            }

            sb.Append(line);
        }

        return sb.ToString().Trim();
    }
}
