using System.Text;
using Cables.Parsing.Internal;

namespace Cables.Parsing.Telegram;

/// <summary>
/// Turns every rendering of a cable into one canonical text, in one pass over the lines, so that the extractors
/// see the same input whichever mirror the cable came from:
/// <list type="bullet">
/// <item>page markers (<c>BRUSSELS 00001390 002 OF 003</c>) dropped and the sentence they cut re-joined;</item>
/// <item>stray blank lines inside a sentence removed, runs of blank lines collapsed, trailing blanks and
/// SQL-dump line continuations (<c> \</c>) trimmed;</item>
/// <item>TAGS rendered as links (<c>[PREL](#) [BE](#)</c>) written back as <c>TAGS: PREL, BE</c>;</item>
/// <item>the paragraph sign read as a digit (<c>13.</c> after <c>¶2.</c>) written back as <c>¶3.</c>;</item>
/// <item>mirror wrappers (a metadata block repeating the header, a dump row) and the "partial extract" notice removed.</item>
/// </list>
/// </summary>
internal static class TelegramText
{
    internal const string PartialExtractNotice =
        "This record is a partial extract of the original cable. The full text of the original cable is not available.";

    private static readonly System.Buffers.SearchValues<char> s_pageDigits = System.Buffers.SearchValues.Create("0123456789.");

    /// <summary>Prefix of a mirror's date line, <c>Cable dated:2008-10-27T08:20:00</c>.</summary>
    internal const string CableDated = "Cable dated:";

    private const string HeaderEndsLine = "----------------- header ends ----------------";

    /// <summary>
    /// Normalises <paramref name="text"/> into <paramref name="output"/> (cleared first) and tells whether the partial
    /// extract notice was seen. The parser hands in a builder it reuses, so that the whole-text copy is not allocated per cable.
    /// </summary>
    public static bool Normalize(string text, StringBuilder output)
    {
        var source = StripMirrorWrappers(text.AsSpan());
        output.Clear();
        output.EnsureCapacity(source.Length);
        var partial = false;
        var pendingBlank = false;
        var droppedMarker = false;
        var lastParagraph = 0;
        var lastLineStart = -1;

        foreach (var rawLine in source.EnumerateLines())
        {
            BudgetClock.Check();
            var line = TrimEnd(rawLine);

            if (line.IsEmpty)
            {
                pendingBlank = lastLineStart >= 0;
                continue;
            }

            if (line.SequenceEqual(PartialExtractNotice))
            {
                partial = true;
                continue;
            }

            if (IsPageMarker(line))
            {
                droppedMarker = true;
                continue;
            }

            if (lastLineStart >= 0 && (pendingBlank || droppedMarker))
            {
                var midSentence = output.Length > lastLineStart && !EndsSentence(output[output.Length - 1]);
                if (midSentence && char.IsLower(FirstLetterOrDigit(line)))
                {
                    // The blank lines (and marker) cut a sentence: glue the halves back on one line.
                    output.Append(' ');
                    output.Append(line.TrimStart());
                    pendingBlank = droppedMarker = false;
                    continue;
                }

                // A page break inside a paragraph of a fixed-width rendering: drop the break, keep the line.
                var pageBreakInParagraph = droppedMarker && midSentence && !StartsParagraphOrField(line);
                if (pendingBlank && !pageBreakInParagraph)
                {
                    output.Append('\n');
                }
            }

            pendingBlank = droppedMarker = false;
            if (lastLineStart >= 0)
            {
                output.Append('\n');
            }

            lastLineStart = output.Length;
            AppendRepaired(output, line, ref lastParagraph);
        }

        if (lastLineStart >= 0)
        {
            output.Append('\n');
        }

        return partial;
    }

    /// <summary><c>BRUSSELS 00001390 002 OF 003</c>, <c>RPO DUBAI 00000349 001.2 OF 003</c>: city, 8-digit serial, page of pages.</summary>
    internal static bool IsPageMarker(ReadOnlySpan<char> line)
    {
        line = line.Trim();

        // Most lines end in a letter or punctuation: a marker ends in its page count.
        if (line.IsEmpty || !char.IsAsciiDigit(line[^1]))
        {
            return false;
        }

        var ofAt = line.LastIndexOf(" OF ");
        if (ofAt < 0 || !IsDigits(line[(ofAt + 4)..]))
        {
            return false;
        }

        var head = line[..ofAt];
        var pageAt = head.LastIndexOf(' ');
        if (pageAt < 0)
        {
            return false;
        }

        var page = head[(pageAt + 1)..];
        if (page.Length < 3 || !char.IsAsciiDigit(page[0]) || page.ContainsAnyExcept(s_pageDigits))
        {
            return false;
        }

        head = head[..pageAt];
        var serialAt = head.LastIndexOf(' ');
        if (serialAt < 1 || head.Length - serialAt - 1 != 8 || !IsDigits(head[(serialAt + 1)..]))
        {
            return false;
        }

        foreach (var c in head[..serialAt])
        {
            if (!char.IsAsciiLetterUpper(c) && c is not (' ' or '.' or '-' or '\''))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Where a page marker starts inside a line whose breaks a rendering lost (<c>… SHEIKH SHARIF TRIPOLI 00000561 001.2 OF
    /// 002 CLASSIFIED BY …</c>); -1 when there is none. The marker's city is the longest run of its last words (up to
    /// four) that names a known station, else its last word. One pass: each " OF " is looked at once.
    /// </summary>
    internal static int InlinePageMarker(ReadOnlySpan<char> line)
    {
        for (var from = 0; from < line.Length;)
        {
            var found = line[from..].IndexOf(" OF ");
            if (found < 0)
            {
                return -1;
            }

            var of = from + found;
            from = of + 4;
            var pages = 0;
            while (of + 4 + pages < line.Length && char.IsAsciiDigit(line[of + 4 + pages]))
            {
                pages++;
            }

            if (pages == 0 || (of + 4 + pages < line.Length && line[of + 4 + pages] != ' '))
            {
                continue;
            }

            var pageStart = of;
            while (pageStart > 0 && (char.IsAsciiDigit(line[pageStart - 1]) || line[pageStart - 1] == '.'))
            {
                pageStart--;
            }

            var serialEnd = pageStart - 1;
            while (serialEnd > 0 && line[serialEnd - 1] == ' ')
            {
                serialEnd--;
            }

            var serialStart = serialEnd;
            while (serialStart > 0 && char.IsAsciiDigit(line[serialStart - 1]))
            {
                serialStart--;
            }

            if (of - pageStart < 3 || pageStart == 0 || line[pageStart - 1] != ' ' || serialEnd - serialStart != 8 || serialStart < 2 || line[serialStart - 1] != ' ')
            {
                continue;
            }

            var cityStart = MarkerCityStart(line[..(serialStart - 1)].TrimEnd());
            if (cityStart >= 0)
            {
                return cityStart;
            }
        }

        return -1;
    }

    /// <summary>Start of the marker's city at the end of <paramref name="before"/>: its last words, as many as name a known station.</summary>
    private static int MarkerCityStart(ReadOnlySpan<char> before)
    {
        Span<char> joined = stackalloc char[40];
        var length = 0;
        var best = -1;
        var wordEnd = before.Length;
        for (var words = 0; words < 4 && wordEnd > 0; words++)
        {
            var wordStart = wordEnd;
            while (wordStart > 0 && (char.IsAsciiLetterUpper(before[wordStart - 1]) || before[wordStart - 1] is '.' or '-' or '\''))
            {
                wordStart--;
            }

            var word = before[wordStart..wordEnd];
            if (word.IsEmpty || (wordStart > 0 && before[wordStart - 1] != ' ') || length + word.Length > joined.Length)
            {
                break;
            }

            joined[..length].CopyTo(joined[word.Length..]);
            word.CopyTo(joined);
            length += word.Length;
            if (best < 0 || Fields.ReferenceIds.IsStationOrAlias(joined[..length].ToString()))
            {
                best = wordStart;
            }

            wordEnd = wordStart;
            while (wordEnd > 0 && before[wordEnd - 1] == ' ')
            {
                wordEnd--;
            }
        }

        return best;
    }

    private static void AppendRepaired(StringBuilder output, ReadOnlySpan<char> line, ref int lastParagraph)
    {
        if (line.StartsWith("TAGS") && line.Contains("](#)", StringComparison.Ordinal))
        {
            AppendUnlinkedTags(output, line);
            return;
        }

        var indent = line.Length - line.TrimStart().Length;
        var start = line[indent..];
        var hasSign = start.Length > 0 && start[0] == '¶';
        var digits = hasSign ? start[1..] : start;
        var n = 0;
        while (n < digits.Length && n < 4 && char.IsAsciiDigit(digits[n]))
        {
            n++;
        }

        if (n is >= 1 and <= 3 && n < digits.Length && digits[n] == '.' && (n + 1 == digits.Length || digits[n + 1] == ' '))
        {
            var number = int.Parse(digits[..n], provider: null);
            var expected = lastParagraph + 1;

            // A "¶" read as "1": 13. after ¶2. is paragraph 3, 110. after ¶9. is paragraph 10.
            if (!hasSign && n >= 2 && digits[0] == '1' && number != expected && int.Parse(digits[1..n], provider: null) == expected)
            {
                output.Append(line[..indent]).Append('¶').Append(digits[1..]);
                lastParagraph = expected;
                return;
            }

            lastParagraph = number;
        }

        output.Append(line);
    }

    /// <summary><c>TAGS: [PREL](#) [BE](#)</c> to <c>TAGS: PREL, BE</c>.</summary>
    private static void AppendUnlinkedTags(StringBuilder output, ReadOnlySpan<char> line)
    {
        var colon = line.IndexOf(':');
        output.Append(colon > 0 ? line[..(colon + 1)] : "TAGS:");
        var rest = colon > 0 ? line[(colon + 1)..] : line[4..];
        var first = true;
        while (true)
        {
            var open = rest.IndexOf('[');
            if (open < 0)
            {
                break;
            }

            var close = rest[open..].IndexOf("](");
            if (close < 0)
            {
                break;
            }

            output.Append(first ? " " : ", ").Append(rest.Slice(open + 1, close - 1).Trim());
            first = false;
            rest = rest[(open + close)..];
            var end = rest.IndexOf(')');
            rest = end < 0 ? [] : rest[(end + 1)..];
        }
    }

    /// <summary>Cuts the copies some mirrors wrap around the body: an <c>id:/refid:/header:</c> block ending in
    /// "header ends", and a tab-separated dump row whose header column repeats the header.</summary>
    private static ReadOnlySpan<char> StripMirrorWrappers(ReadOnlySpan<char> text)
    {
        text = SplitGluedLines(text);

        var headerEnds = text.IndexOf(HeaderEndsLine);
        if (headerEnds > 0)
        {
            var idBlock = text[..headerEnds].IndexOf("\nid: ");
            if (idBlock >= 0)
            {
                return string.Concat(text[..(idBlock + 1)], text[(headerEnds + HeaderEndsLine.Length)..]);
            }
        }

        var row = FindDumpRow(text);
        if (row >= 0)
        {
            // id, date, refid, origin, classification, references, header: the content follows the seventh tab.
            var at = row;
            for (var tabs = 0; tabs < 7 && at >= 0; tabs++)
            {
                var next = text[at..].IndexOf('\t');
                at = next < 0 ? -1 : at + next + 1;
            }

            if (at > 0)
            {
                return string.Concat(text[..row], "\n", text[at..]);
            }
        }

        return text;
    }

    /// <summary>
    /// Some mirrors lost the line breaks around the banner: <c>Cable dated:2006-02-07T22:12:00C O N F I D E N T I A L …</c>,
    /// <c>RUEHRI/AMCONSUL RIO DE JANEIRO 7877\tC O N F I D E N T I A L …</c>. Put the banner back on a line of its own.
    /// </summary>
    private static ReadOnlySpan<char> SplitGluedLines(ReadOnlySpan<char> text)
    {
        if (text.IndexOf(CableDated) < 0 && text.IndexOf('\t') < 0 && text.IndexOf("\",\"") < 0)
        {
            return text;
        }

        var result = new StringBuilder(text.Length + 8);
        foreach (var line in text.EnumerateLines())
        {
            var rest = line;
            var dated = rest.IndexOf(CableDated);
            if (dated >= 0 && rest.Length > dated + CableDated.Length + 19)
            {
                var end = dated + CableDated.Length + 19;
                result.Append(rest[dated..end]).Append('\n');
                rest = rest[end..].TrimStart(']');
            }

            // Whether a banner follows the run of blanks and quotes that ends at runEnd (an index into the line): every
            // separator inside one run lands on the same text after it, so each run is trimmed once (linear in the line).
            var runEnd = -1;
            var bannerAfterRun = false;

            // A tab or a CSV field boundary (",") right before a banner: the dump's header column ends there.
            for (var at = rest.IndexOfAny('\t', '"'); at >= 0; at = rest.IndexOfAny('\t', '"'))
            {
                var separator = rest[at] == '\t' ? 1 : rest[at..].StartsWith("\",\"") ? 3 : 1;
                var after = rest[(at + separator)..];
                var afterStart = line.Length - after.Length;
                if (afterStart >= runEnd)
                {
                    var trimmed = after.TrimStart().TrimStart('"');
                    runEnd = line.Length - trimmed.Length;
                    bannerAfterRun = IsLevelWordAt(trimmed);
                }

                var breaks = bannerAfterRun && (separator == 3 || rest[at] == '\t');
                result.Append(rest[..at]);
                if (breaks)
                {
                    result.Append('\n');
                }
                else
                {
                    result.Append(rest.Slice(at, separator));
                }

                rest = after;
            }

            result.Append(rest).Append('\n');
        }

        return result.ToString();
    }

    internal static bool StartsWithLevelWord(ReadOnlySpan<char> span) => IsLevelWordAt(span.TrimStart().TrimStart('"'));

    private static bool IsLevelWordAt(ReadOnlySpan<char> span) =>
        span.StartsWith("UNCLAS") || span.StartsWith("U N C") || span.StartsWith("C O N") || span.StartsWith("CONFIDENTIAL")
            || span.StartsWith("S E C") || span.StartsWith("SS E C") || span.StartsWith("SECRET") || span.StartsWith("T O P") || span.StartsWith("TOP SECRET")
            || span.StartsWith("LIMITED OFFICIAL") || span.StartsWith("L I M");

    /// <summary>Start of a line <c>75837\t2006-08-23 08:46:00\t…</c>, or -1.</summary>
    private static int FindDumpRow(ReadOnlySpan<char> text)
    {
        var tab = text.IndexOf("\t20");
        if (tab < 0)
        {
            tab = text.IndexOf("\t19");
        }

        if (tab < 1)
        {
            return -1;
        }

        var start = tab;
        while (start > 0 && char.IsAsciiDigit(text[start - 1]))
        {
            start--;
        }

        return start < tab && (start == 0 || text[start - 1] == '\n') && text.Length > tab + 11 && text[tab + 5] == '-' ? start : -1;
    }

    private static ReadOnlySpan<char> TrimEnd(ReadOnlySpan<char> line)
    {
        line = line.TrimEnd();
        if (line.Length > 0 && line[^1] == '\\')
        {
            line = line[..^1].TrimEnd();
        }

        return line;
    }

    /// <summary>A numbered paragraph (<c>¶3.</c>, <c>12.</c>) or a field line (<c>TAGS:</c>): never glued to what precedes it.</summary>
    private static bool StartsParagraphOrField(ReadOnlySpan<char> line)
    {
        line = line.TrimStart();
        if (line.IsEmpty || line[0] == '¶')
        {
            return true;
        }

        var digits = 0;
        while (digits < line.Length && char.IsAsciiDigit(line[digits]))
        {
            digits++;
        }

        return (digits > 0 && digits < line.Length && line[digits] == '.')
            || line.StartsWith("TAGS") || line.StartsWith("SUBJECT") || line.StartsWith("REF") || line.StartsWith("E.O.") || line.StartsWith("Classified");
    }

    private static bool EndsSentence(char c) => c is '.' or '!' or '?' or ':' or ')' or ']' or '"' or '\'' or '-' or '=';

    private static char FirstLetterOrDigit(ReadOnlySpan<char> line)
    {
        foreach (var c in line)
        {
            if (char.IsLetterOrDigit(c))
            {
                return c;
            }
        }

        return ' ';
    }

    private static bool IsDigits(ReadOnlySpan<char> s) => !s.IsEmpty && !s.ContainsAnyExceptInRange('0', '9');
}
