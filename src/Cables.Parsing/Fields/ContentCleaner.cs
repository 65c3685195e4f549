using System.Text;

namespace Cables.Parsing.Fields;

/// <summary>
/// Reading text of a cable body: paragraph numbers and classification markings dropped, "Summary:"/"Comment:" openers
/// and "End Summary."/"End Comment." closers removed, heading rules blanked, SIPDIS lines and page markers removed,
/// lower-case x redaction runs removed.
/// </summary>
internal static class ContentCleaner
{
    public static string Clean(string content)
    {
        if (string.IsNullOrEmpty(content))
        {
            return "";
        }

        // One pass over the lines into one builder: no array of lines, no list of output lines, so the cost stays
        // linear however many (blank) lines there are.
        var output = new StringBuilder(content.Length);
        var outputLines = 0;
        var skipBlank = false;
        var rest = content.AsSpan();
        while (true)
        {
            var newline = rest.IndexOf('\n');
            var line = newline < 0 ? rest : rest[..newline];
            rest = newline < 0 ? [] : rest[(newline + 1)..];
            var trimmed = line.Trim();
            if (skipBlank && trimmed.IsEmpty)
            {
                skipBlank = false;
            }
            else if (trimmed.SequenceEqual("SIPDIS"))
            {
                skipBlank = false;
                RemoveLastLineIfBlank(output, ref outputLines);
            }
            else if (IsPageMarker(trimmed))
            {
                // A page marker goes, and the blank line after it.
                skipBlank = true;
            }
            else
            {
                skipBlank = false;
                if (outputLines++ > 0)
                {
                    output.Append('\n');
                }

                if (trimmed.Length < 3 || trimmed.ContainsAnyExcept(s_rule))
                {
                    var cleaned = RemoveClosers(StripOpener(StripParagraphPrefix(line).ToString()));
                    AppendWithoutRedactions(output, cleaned);
                }
            }

            if (newline < 0)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Characters of a heading rule (<c>-----</c>, <c>=====</c>), which reads as a blank line.</summary>
    private static readonly System.Buffers.SearchValues<char> s_rule = System.Buffers.SearchValues.Create("-=‐");

    /// <summary>SIPDIS takes the blank line before it along; only that line's own characters are looked at.</summary>
    private static void RemoveLastLineIfBlank(StringBuilder output, ref int outputLines)
    {
        if (outputLines == 0)
        {
            return;
        }

        var start = output.Length;
        while (start > 0 && output[start - 1] != '\n')
        {
            if (!char.IsWhiteSpace(output[start - 1]))
            {
                return;
            }

            start--;
        }

        output.Length = start > 0 ? start - 1 : 0;
        outputLines--;
    }

    /// <summary>"1. (C) ", "¶2. (SBU/N) ", "3. C) ", "11. " at the start of a line.</summary>
    internal static string StripParagraphPrefix(string line)
    {
        // Only a prefix is ever cut: the same length means the line itself.
        var stripped = StripParagraphPrefix(line.AsSpan());
        return stripped.Length == line.Length ? line : stripped.ToString();
    }

    /// <inheritdoc cref="StripParagraphPrefix(string)"/>
    internal static ReadOnlySpan<char> StripParagraphPrefix(ReadOnlySpan<char> line)
    {
        var i = 0;
        while (i < line.Length && line[i] is ' ' or '¶')
        {
            i++;
        }

        var digits = i;
        while (i < line.Length && char.IsAsciiDigit(line[i]))
        {
            i++;
        }

        if (i == digits || i - digits > 3 || i >= line.Length || line[i] != '.')
        {
            return StripMarking(line);
        }

        i++;
        while (i < line.Length && line[i] == ' ')
        {
            i++;
        }

        return StripMarking(line[i..]);
    }

    /// <summary>"(C) ", "(SBU/N) ", "C) ", "(S//NF) " at the start.</summary>
    private static ReadOnlySpan<char> StripMarking(ReadOnlySpan<char> line)
    {
        var s = line.TrimStart();
        var open = s.StartsWith('(');
        var i = open ? 1 : 0;
        var start = i;
        while (i < s.Length && (char.IsAsciiLetterUpper(s[i]) || s[i] == '/'))
        {
            i++;
        }

        if (i == start || i - start > 8 || i >= s.Length || s[i] != ')' || !IsMarking(s.Slice(start, i - start)))
        {
            return line;
        }

        return s[(i + 1)..].TrimStart();
    }

    private static bool IsMarking(ReadOnlySpan<char> m)
    {
        foreach (var range in m.Split('/'))
        {
            var part = m[range];
            if (!part.IsEmpty && part is not ("U" or "C" or "S" or "SBU" or "N" or "NF" or "FOUO" or "TS" or "REL" or "LOU"))
            {
                return false;
            }
        }

        return true;
    }

    private static string StripOpener(string line)
    {
        foreach (var opener in (ReadOnlySpan<string>)["Summary and action request. ", "Summary and comment. ", "Summary and comment: ", "Summary: ", "Summary. ", "Comment: ", "Comment. "])
        {
            if (line.StartsWith(opener, StringComparison.OrdinalIgnoreCase))
            {
                return line[opener.Length..];
            }
        }

        return line;
    }

    private static string RemoveClosers(string line)
    {
        foreach (var closer in (ReadOnlySpan<string>)["End Summary and Comment.", "End Summary and Action Request.", "End Summary.", "End Comment."])
        {
            var at = line.IndexOf(closer, StringComparison.OrdinalIgnoreCase);
            if (at >= 0)
            {
                var end = at + closer.Length;
                if (end < line.Length && line[end] == ' ')
                {
                    end++;
                }

                line = string.Concat(line.AsSpan(0, at), line.AsSpan(end));
            }
        }

        return line;
    }

    /// <summary>Lower-case x runs (<c>xxxxxxxxxxxx</c>, a redaction) are dropped; a single x stays.</summary>
    private static void AppendWithoutRedactions(StringBuilder output, string line)
    {
        if (!line.Contains("xx", StringComparison.Ordinal))
        {
            output.Append(line);
            return;
        }

        for (var i = 0; i < line.Length;)
        {
            if (line[i] == 'x' && i + 1 < line.Length && line[i + 1] == 'x')
            {
                while (i < line.Length && line[i] == 'x')
                {
                    i++;
                }

                continue;
            }

            output.Append(line[i++]);
        }
    }

    /// <summary>"PRETORIA 00000954 001.2 OF 004": the page marker of the newer format.</summary>
    private static bool IsPageMarker(ReadOnlySpan<char> line)
    {
        // Ends in a page count after OF, has 4-6 words, one of them a serial of 7+ digits.
        if (line.IsEmpty || !char.IsAsciiDigit(line[^1]) || line.Length > 80)
        {
            return false;
        }

        var words = 0;
        var serial = false;
        ReadOnlySpan<char> last = [], beforeLast = [];
        foreach (var range in line.Split(' '))
        {
            var word = line[range];
            if (word.IsEmpty)
            {
                continue;
            }

            words++;
            serial |= word.Length >= 7 && !word.ContainsAnyExceptInRange('0', '9');
            beforeLast = last;
            last = word;
        }

        return words is >= 4 and <= 6 && beforeLast.SequenceEqual("OF") && serial && !last.ContainsAnyExceptInRange('0', '9');
    }
}
