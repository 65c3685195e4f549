namespace Cables.Parsing.Fields;

/// <summary>The signer at the end of a cable (<c>SULLIVAN</c>, <c>DE PREE</c>, <c>O'DONOHUE</c>), below the text and above the trailing markings.</summary>
internal static class Signers
{
    private const int MaxLinesFromEnd = 40;

    public static IReadOnlyList<string> Parse(string content)
    {
        if (string.IsNullOrEmpty(content))
        {
            return [];
        }

        // The lines of content.Split('\n') from the last, as spans: only the signer becomes a string.
        var end = content.Length;
        for (var seen = 0; seen < MaxLinesFromEnd; seen++)
        {
            var start = content.AsSpan(0, end).LastIndexOf('\n') + 1;
            var line = content.AsSpan(start, end - start).Trim().TrimEnd('#').Trim();
            if (line.Length == 0 || IsTrailer(line))
            {
                if (start == 0)
                {
                    break;
                }

                end = start - 1;
                continue;
            }

            // The signer closes the last line, possibly after a final sentence: "END OF TEXT. BAKER".
            var sentence = line.LastIndexOf(". ");
            var candidate = (sentence >= 0 ? line[(sentence + 2)..] : line).Trim().TrimEnd('.');
            return IsSignerName(candidate) ? [candidate.ToString()] : [];
        }

        return [];
    }

    private static bool IsSignerName(ReadOnlySpan<char> s)
    {
        // At most three words.
        if (s.Length is < 2 or > 30 || !char.IsAsciiLetterUpper(s[0]) || s.Count(' ') > 2)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!(char.IsAsciiLetterUpper(c) || c is ' ' or '\'' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Lines that follow the signer: classification, NNNN, SIPDIS, page headers, archive notes.</summary>
    private static bool IsTrailer(ReadOnlySpan<char> line)
    {
        if (line is "NNNN" or "SIPDIS" or ">" or "." or "-" or "BT" or "UNQUOTE" ||
            line is "CONFIDENTIAL" or "SECRET" or "UNCLASSIFIED" or "LIMITED OFFICIAL USE" or "SECRET NOFORN" or "CONFIDENTIAL NOFORN" ||
            line.StartsWith("PAGE ", StringComparison.Ordinal) || line.StartsWith("NOTE", StringComparison.Ordinal) ||
            line.StartsWith("Declassified", StringComparison.Ordinal) || line.StartsWith("Review ", StringComparison.Ordinal) ||
            line.Contains(" - UNCLASSIFIED", StringComparison.Ordinal) || line.Contains("Classification:", StringComparison.Ordinal))
        {
            return true;
        }

        // "BRUSSELS 00003382  003 OF 003": a page marker.
        return line.Contains(" OF ", StringComparison.Ordinal) && line.ContainsAnyInRange('0', '9') && !TextSearch.HasLowerCase(line) && HasLongNumber(line);
    }

    /// <summary>A space-separated word of at least five ASCII digits.</summary>
    private static bool HasLongNumber(ReadOnlySpan<char> line)
    {
        foreach (var range in line.Split(' '))
        {
            var word = line[range];
            if (word.Length >= 5 && !word.ContainsAnyExceptInRange('0', '9'))
            {
                return true;
            }
        }

        return false;
    }
}
