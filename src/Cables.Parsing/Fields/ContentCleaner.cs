using System.Text;

namespace Cables.Parsing.Fields;

/// <summary>
/// Reading text of a cable body: paragraph numbers and classification markings dropped, "Summary:"/"Comment:" openers
/// and "End Summary."/"End Comment." closers removed, heading rules blanked, SIPDIS lines and page markers removed,
/// lower-case x redaction runs removed.
/// </summary>
public static class ContentCleaner
{
    public static string Clean(string content)
    {
        if (string.IsNullOrEmpty(content))
        {
            return "";
        }

        var lines = content.Split('\n');
        var output = new List<string>(lines.Length);
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n];
            var trimmed = line.Trim();
            if (trimmed == "SIPDIS")
            {
                if (output.Count > 0 && output[^1].Trim().Length == 0)
                {
                    output.RemoveAt(output.Count - 1);
                }

                continue;
            }

            if (IsPageMarker(trimmed))
            {
                if (n + 1 < lines.Length && lines[n + 1].Trim().Length == 0)
                {
                    n++;
                }

                continue;
            }

            if (trimmed.Length >= 3 && trimmed.All(c => c is '-' or '=' or '‐'))
            {
                output.Add("");
                continue;
            }

            line = StripParagraphPrefix(line);
            line = StripOpener(line);
            line = RemoveClosers(line);
            output.Add(RemoveRedactions(line));
        }

        return string.Join('\n', output);
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

    private static string RemoveRedactions(string line)
    {
        if (!line.Contains("xx", StringComparison.Ordinal))
        {
            return line;
        }

        var sb = new StringBuilder(line.Length);
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

            sb.Append(line[i++]);
        }

        return sb.ToString();
    }

    /// <summary>"PRETORIA 00000954 001.2 OF 004": the page marker of the newer format.</summary>
    private static bool IsPageMarker(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length is >= 4 and <= 6 && parts[^2] == "OF" && parts.Any(p => p.Length >= 7 && p.All(char.IsAsciiDigit)) &&
               parts[^1].All(char.IsAsciiDigit);
    }
}
