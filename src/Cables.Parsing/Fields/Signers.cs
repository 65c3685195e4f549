namespace Cables.Parsing.Fields;

/// <summary>The signer at the end of a cable (<c>SULLIVAN</c>, <c>DE PREE</c>, <c>O'DONOHUE</c>), below the text and above the trailing markings.</summary>
public static class Signers
{
    private const int MaxLinesFromEnd = 40;

    public static IReadOnlyList<string> Parse(string content)
    {
        if (string.IsNullOrEmpty(content))
        {
            return [];
        }

        var lines = content.Split('\n');
        for (int n = lines.Length - 1, seen = 0; n >= 0 && seen < MaxLinesFromEnd; n--, seen++)
        {
            var line = lines[n].Trim().TrimEnd('#').Trim();
            if (line.Length == 0 || IsTrailer(line))
            {
                continue;
            }

            // The signer closes the last line, possibly after a final sentence: "END OF TEXT. BAKER".
            var sentence = line.LastIndexOf(". ", StringComparison.Ordinal);
            var candidate = (sentence >= 0 ? line[(sentence + 2)..] : line).Trim().TrimEnd('.');
            return IsSignerName(candidate) ? [candidate] : [];
        }

        return [];
    }

    private static bool IsSignerName(string s)
    {
        if (s.Length is < 2 or > 30 || !char.IsAsciiLetterUpper(s[0]) || s.Split(' ').Length > 3)
        {
            return false;
        }

        return s.All(c => char.IsAsciiLetterUpper(c) || c is ' ' or '\'' or '-');
    }

    /// <summary>Lines that follow the signer: classification, NNNN, SIPDIS, page headers, archive notes.</summary>
    private static bool IsTrailer(string line)
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
        return line.Contains(" OF ", StringComparison.Ordinal) && line.Any(char.IsAsciiDigit) && !line.Any(char.IsLower) &&
               line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(p => p.Length >= 5 && p.All(char.IsAsciiDigit));
    }
}
