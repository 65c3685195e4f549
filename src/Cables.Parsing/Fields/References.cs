using System.Globalization;
using Cables.Parsing.Model;

namespace Cables.Parsing.Fields;

/// <summary>
/// REF lists: cable ids (canonical; a reference without a year takes <c>year</c>) and typed non-cable
/// references (e-mails, telcons, reports…), each with the list label it stands under.
/// </summary>
/// <remarks>
/// Hand-written token scan, linear in the REF block: stations may span words (<c>RIO DE JANEIRO</c>),
/// years may lead (<c>06 TBILISI 619</c>, <c>'08</c>, <c>(99)</c>, <c>2005</c>) or trail (<c>4525-91</c>,
/// <c>00789/08</c>, <c>701 (08)</c>), serials may continue (<c>2799 AND 2764</c>, <c>936/935</c>),
/// and page headers inside the list (<c>PAGE 02 ROME 01196 …Z</c>, <c>TRIPOLI 00000402 001.2 OF 003</c>) are skipped.
/// </remarks>
internal static class References
{
    private const int MaxSerialLength = 7;
    private const int MaxBlockLength = 4000;

    public static IReadOnlyList<CableReference> Parse(string content, int year, string? referenceId)
    {
        if (string.IsNullOrEmpty(content))
        {
            return [];
        }

        var (start, end) = FindBlock(content);
        if (start < 0)
        {
            return [];
        }

        var self = string.IsNullOrEmpty(referenceId) ? null : ReferenceIds.Canonicalize(referenceId);
        // A literal "\n" (backslash, n) in some renderings is a line break.
        var block = content[start..end].Replace("\\n", " \n", StringComparison.Ordinal);
        return new Scanner(block, ((year % 100) + 100) % 100, self, InitialLabel(content, start)).Run();
    }

    /// <summary>Distinct canonical cable ids of <paramref name="references"/>, in order.</summary>
    public static IReadOnlyList<string> CableIds(IEnumerable<CableReference> references)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ids = new List<string>();
        foreach (var r in references)
        {
            if (r.Kind == ReferenceKind.Cable && r.Id is { } id && seen.Add(id))
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    /// <summary>The REF block: from after the first REF keyword to the classification line, the first paragraph or the summary.</summary>
    private static (int Start, int End) FindBlock(string content)
    {
        var start = -1;
        var limit = FirstParagraph(content);
        for (var i = 0; i + 3 <= limit; i++)
        {
            var hit = content.AsSpan(i, limit - i).IndexOfAny(RefStarts);
            if (hit < 0)
            {
                break;
            }

            i += hit;
            if ((content[i] | 0x20) != 'r' || string.Compare(content, i, "REF", 0, 3, StringComparison.OrdinalIgnoreCase) != 0)
            {
                continue;
            }

            // "… UK PRIMEREF: A.": a keyword glued to the subject counts only with its colon.
            if (i > 0 && char.IsAsciiLetter(content[i - 1]) && !(i + 3 < content.Length && content[i + 3] == ':' && char.IsAsciiLetterUpper(content[i])))
            {
                continue;
            }

            var j = i + 3;
            foreach (var suffix in (ReadOnlySpan<string>)["ERENCES", "ERENCE", "TELS", "TEL", "(S)", "S"])
            {
                if (string.Compare(content, j, suffix, 0, suffix.Length, StringComparison.OrdinalIgnoreCase) == 0)
                {
                    j += suffix.Length;
                    break;
                }
            }

            if (j < content.Length && char.IsAsciiLetterOrDigit(content[j]))
            {
                continue;
            }

            start = j;
            break;
        }

        if (start < 0)
        {
            return (-1, -1);
        }

        var end = Math.Min(content.Length, start + MaxBlockLength);
        var span = content.AsSpan(start, end - start);
        // The block ends at the first of the stops (no stop's tail overlaps another's head, so the first of all is the least cut).
        var stopAt = span.IndexOfAny(BlockStops);
        if (stopAt >= 0)
        {
            span = span[..stopAt];
        }

        // The first numbered paragraph or a summary heading ends the list; so does prose after a blank line.
        var afterBlank = false;
        var seenText = false;
        for (var i = 0; i < span.Length; i++)
        {
            if (span[i] != '\n')
            {
                seenText |= !char.IsWhiteSpace(span[i]) && span[i] != ':';
                continue;
            }

            var line = span[(i + 1)..].TrimStart(" \t¶");
            if (line.StartsWith("1.", StringComparison.Ordinal) || line.StartsWith("1 .", StringComparison.Ordinal) ||
                line.StartsWith("SUMMARY", StringComparison.OrdinalIgnoreCase) || line.StartsWith("SUBJECT", StringComparison.OrdinalIgnoreCase))
            {
                span = span[..i];
                break;
            }

            var lineEnd = line.IndexOf('\n');
            var lineText = (lineEnd < 0 ? line : line[..lineEnd]).TrimEnd();
            if (lineText.Length == 0)
            {
                afterBlank = true;
                continue;
            }

            if (afterBlank && seenText && !ContinuesList(lineText))
            {
                span = span[..i];
                break;
            }

            afterBlank = false;
        }

        return (start, start + span.Length);
    }

    /// <summary>A line after a blank line still belongs to the list: a label (B., (B), B), B:), a number early on, or a station.</summary>
    private static bool ContinuesList(ReadOnlySpan<char> line)
    {
        if (line.Length == 0 || char.IsAsciiDigit(line[0]) || line[0] is '(' or '[' or '-' or '\'')
        {
            return true;
        }

        if (line.Length >= 2 && char.IsAsciiLetter(line[0]) && line[1] is '.' or ')' or ':')
        {
            return true;
        }

        // "DE JANEIRO 1291": the rest of a citation broken over the blank line carries its serial early.
        if (line[..Math.Min(line.Length, 24)].IndexOfAnyInRange('0', '9') >= 0)
        {
            return true;
        }

        // "Taipei 03196 E)", "HANOI 2323", "STATE 02034", "RIO DE JANEIRO 1291": up to three words spelling a station.
        var joined = new System.Text.StringBuilder(24);
        var words = 0;
        var i = 0;
        while (i < line.Length && words < 3)
        {
            var start = i;
            while (i < line.Length && char.IsAsciiLetter(line[i]))
            {
                i++;
            }

            if (i == start)
            {
                break;
            }

            joined.Append(line[start..i]);
            words++;
            var station = ReferenceIds.CanonicalizeStation(joined.ToString().ToUpperInvariant());
            if (ReferenceIds.IsKnownStation(station))
            {
                return true;
            }

            while (i < line.Length && line[i] == ' ')
            {
                i++;
            }
        }

        return false;
    }

    private static readonly System.Buffers.SearchValues<string> BlockStops = TextSearch.IgnoreCase(
        "CLASSIFIED BY", "CLASSIIED BY", "CLASSIFIED:", "SENSITIVE BUT", "END SUMMARY", "C O N F", "S E C R", "U N C L", "C O R R", "L I M I");

    private static readonly System.Buffers.SearchValues<string> RefStarts =
        System.Buffers.SearchValues.Create(["REF"], StringComparison.OrdinalIgnoreCase);

    /// <summary>Where the first numbered paragraph starts ("\n1. ", "¶1."): REF lists stand above it; references in the text below are prose.</summary>
    private static int FirstParagraph(string content)
    {
        var lineStart = 0;
        while (lineStart + 3 < content.Length)
        {
            var j = lineStart;
            while (j < content.Length && content[j] is ' ' or '\t' or '¶')
            {
                j++;
            }

            if (j + 2 < content.Length && content[j] == '1' && content[j + 1] == '.' && !char.IsAsciiDigit(content[j + 2]))
            {
                // Leave room for a REF list that runs on the same line as a first paragraph heading.
                return Math.Min(content.Length, j + 3);
            }

            var next = content.IndexOf('\n', lineStart);
            if (next < 0)
            {
                break;
            }

            lineStart = next + 1;
        }

        return content.Length;
    }

    /// <summary>"A. REF AMMAN 222": a label written before the REF keyword on the same line.</summary>
    private static char? InitialLabel(string content, int refEnd)
    {
        var lineStart = content.LastIndexOf('\n', Math.Max(0, refEnd - 1)) + 1;
        var before = content.AsSpan(lineStart, refEnd - lineStart).Trim();
        return before.Length >= 5 && char.IsAsciiLetterUpper(before[0]) && before[1] is '.' or ')' ? before[0] : null;
    }

    private enum TokenKind
    {
        Word,
        Number,
        Punct,
    }

    private readonly record struct Token(TokenKind Kind, string Text, int Start, int End);

    private sealed class Scanner(string block, int defaultYear, string? self, char? initialLabel)
    {
        private readonly List<Token> _tokens = Tokenize(block);
        private readonly List<(int Position, CableReference Reference)> _found = [];
        private readonly List<(int LabelStart, int Start, char? Label)> _items = [(0, 0, initialLabel)];
        private char? _label = initialLabel;
        private (int End, string Station)?[]? _stations;

        public List<CableReference> Run()
        {
            var i = 0;
            while (i < _tokens.Count)
            {
                var t = _tokens[i];
                if (t.Kind == TokenKind.Word && t.Text == "PAGE" && Is(i + 1, TokenKind.Number))
                {
                    i = SkipPageHeader(i);
                    continue;
                }

                if (t.Kind == TokenKind.Punct && t.Text == ";")
                {
                    _items.Add((t.Start, t.End, _label));
                    i++;
                    continue;
                }

                if (TryLabel(i, out var next, out var label))
                {
                    _label = label;
                    _items.Add((t.Start, _tokens[next - 1].End, label));
                    i = next;
                    continue;
                }

                if (t.Kind == TokenKind.Word && TryStation(i, out var stationEnd, out var station))
                {
                    i = Citation(i, stationEnd, station);
                    continue;
                }

                i++;
            }

            return Assemble();
        }

        /// <summary>Station at <paramref name="i"/>..<paramref name="stationEnd"/>: year before or after, serial, continuations.</summary>
        private int Citation(int i, int stationEnd, string station)
        {
            var year = YearBefore(i);
            var j = stationEnd;

            // STATE (01) 201265; KUWAIT (C)02293; BAGHDAD #3565; PRAGUE, 1228; COLOMBO CABLES 0266
            while (j < _tokens.Count)
            {
                if (IsPunct(j, "(") && Is(j + 1, TokenKind.Number) && _tokens[j + 1].Text.Length == 2 && IsPunct(j + 2, ")"))
                {
                    year = _tokens[j + 1].Text;
                    j += 3;
                }
                else if (IsPunct(j, "(") && Is(j + 1, TokenKind.Word) && _tokens[j + 1].Text.Length <= 3 && IsPunct(j + 2, ")"))
                {
                    j += 3;
                }
                else if (IsPunct(j, "#") || IsPunct(j, ",") || IsPunct(j, "-") || IsPunct(j, ":") || (Is(j, TokenKind.Word) && _tokens[j].Text is "CABLES" or "CABLE"))
                {
                    j++;
                }
                else
                {
                    break;
                }
            }

            if (!Is(j, TokenKind.Number))
            {
                // 870 ULAANBAATAR: serial before the station.
                if (i > 0 && Is(i - 1, TokenKind.Number) && _tokens[i - 1].Text.Length is >= 3 and <= MaxSerialLength && year is null)
                {
                    Add(i - 1, station, _tokens[i - 1].Text, defaultYear.ToString("D2", CultureInfo.InvariantCulture));
                }

                return stationEnd;
            }

            var serial = _tokens[j].Text;

            // "INCSR BRAZIL 2008": a year after a station named inside a title is no serial.
            if (serial.Length == 4 && serial[..2] is "19" or "20" && i > 0 && Is(i - 1, TokenKind.Word) && _tokens[i - 1].Text.Length > 1 &&
                _tokens[i - 1].Text is not ("REF" or "AND" or "REFS"))
            {
                return j + 1;
            }

            if (serial.Length > MaxSerialLength)
            {
                // A page header of the newer format: STATION 00000402 001.2 OF 003.
                j++;
                if (Is(j, TokenKind.Number) && IsPunct(j + 1, ".") && Is(j + 2, TokenKind.Number) && IsWord(j + 3, "OF") && Is(j + 4, TokenKind.Number))
                {
                    j += 5;
                }

                return j;
            }

            j++;
            var trailing = TrailingYear(j, serial, out var afterYear);
            if (trailing is not null)
            {
                year = trailing;
                j = afterYear;
            }

            year ??= defaultYear.ToString("D2", CultureInfo.InvariantCulture);
            Add(i, station, serial, year);

            // 2799 AND 2764; 936/935; 11657 and 7743, 12155
            var listed = false;
            while (j + 1 < _tokens.Count && Is(j + 1, TokenKind.Number) && _tokens[j + 1].Text.Length <= MaxSerialLength)
            {
                var joiner = _tokens[j];
                var ok = IsWord(j, "AND") || IsPunct(j, "&") || IsPunct(j, "/") || (listed && IsPunct(j, ","));
                if (!ok || Is(j + 2, TokenKind.Word) && TryStation(j + 2, out _, out _))
                {
                    break;
                }

                listed |= joiner.Kind == TokenKind.Word;
                var more = _tokens[j + 1].Text;
                j += 2;
                var moreYear = TrailingYear(j, more, out afterYear);
                if (moreYear is not null)
                {
                    j = afterYear;
                }

                Add(j - 1, station, more, moreYear ?? year);
            }

            return j;
        }

        private void Add(int tokenIndex, string station, string serial, string year)
        {
            var number = serial.TrimStart('0');
            if (number.Length == 0)
            {
                return;
            }

            var id = string.Concat(year, station, number);
            if (id == self)
            {
                return;
            }

            var position = _tokens[tokenIndex].Start;
            _found.Add((position, new CableReference { Kind = ReferenceKind.Cable, Id = id, Label = _label?.ToString(), Text = id }));
        }

        /// <summary>06 TBILISI, 2007 MANAGUA, '08 BUENOS AIRES, (99) ROME, 094 QUITO, D.01 BRASILIA.</summary>
        private string? YearBefore(int i)
        {
            var j = i - 1;
            while (j >= 0 && _tokens[j].Kind == TokenKind.Punct && _tokens[j].Text is "(" or ")" or "'" or "-" or "’")
            {
                j--;
            }

            if (j < 0 || _tokens[j].Kind != TokenKind.Number)
            {
                return null;
            }

            var n = _tokens[j].Text;
            return n.Length switch
            {
                2 => n,
                3 when n[0] == '0' => n[1..],
                4 when n.StartsWith("19", StringComparison.Ordinal) || n.StartsWith("20", StringComparison.Ordinal) => n[2..],
                _ => null,
            };
        }

        /// <summary>4525-91, 00789/08, 701 (08), 0266 … (2002), 07718 99.</summary>
        private string? TrailingYear(int j, string serial, out int after)
        {
            after = j;
            if ((IsPunct(j, "-") || IsPunct(j, "/")) && Is(j + 1, TokenKind.Number) && _tokens[j + 1].Text.Length == 2 &&
                !(Is(j + 2, TokenKind.Punct) && _tokens[j + 2].Text is "/" or "-"))
            {
                after = j + 2;
                return _tokens[j + 1].Text;
            }

            if (IsPunct(j, "(") && Is(j + 1, TokenKind.Number) && IsPunct(j + 2, ")") && _tokens[j + 1].Text.Length is 2 or 4)
            {
                after = j + 3;
                return _tokens[j + 1].Text[^2..];
            }

            if (serial.Length >= 4 && serial[0] == '0' && Is(j, TokenKind.Number) && _tokens[j].Text.Length == 2 &&
                (j + 1 >= _tokens.Count || IsPunct(j + 1, ",") || IsPunct(j + 1, ";")))
            {
                after = j + 1;
                return _tokens[j].Text;
            }

            return null;
        }

        /// <summary>The longest run of up to four words (dots and apostrophes between them ignored) that spells a station.</summary>
        private bool TryStation(int i, out int end, out string station)
        {
            // The same token is asked about from the main loop, label look-ahead and continuations: answer once.
            _stations ??= new (int, string)?[_tokens.Count];
            if (_stations[i] is not { } known)
            {
                known = FindStation(i);
                _stations[i] = known;
            }

            (end, station) = known;
            return end > i;
        }

        private (int End, string Station) FindStation(int i)
        {
            if (_tokens[i].Kind != TokenKind.Word || !ReferenceIds.IsStationPrefix(_tokens[i].Text))
            {
                return (i, "");
            }

            // Extend word by word while the run still spells the start of a station or alias; remember the longest hit.
            var best = (End: i, Station: "");
            var joined = "";
            var words = 0;
            for (var j = i; j < _tokens.Count && words < 4; j++)
            {
                var t = _tokens[j];
                if (t.Kind == TokenKind.Punct && t.Text is "." or "'" or "’" or "-" && words > 0)
                {
                    continue;
                }

                if (t.Kind != TokenKind.Word)
                {
                    break;
                }

                joined += t.Text;
                words++;
                if (!ReferenceIds.IsStationPrefix(joined))
                {
                    break;
                }

                if (joined.Length < 2 || joined is "AND" or "OF" or "REF" or "THE" or "NO")
                {
                    continue;
                }

                var canonical = ReferenceIds.CanonicalizeStation(joined);
                if (ReferenceIds.IsKnownStation(canonical) && canonical != "WASHDC")
                {
                    best = (j + 1, canonical);
                }
            }

            return best;
        }

        /// <summary>A., A), (A), [A], A:, A -, A.), REF A, bare A before a citation; only A or the current/next letter counts.</summary>
        private bool TryLabel(int i, out int next, out char? label)
        {
            next = i;
            label = null;
            var open = IsPunct(i, "(") || IsPunct(i, "[");
            var at = open ? i + 1 : i;
            if (at >= _tokens.Count)
            {
                return false;
            }

            var t = _tokens[at];
            if (t.Text.Length != 1 || (t.Kind == TokenKind.Word && !char.IsAsciiLetter(t.Text[0])) || (t.Kind == TokenKind.Number && !open))
            {
                return false;
            }

            var letter = char.ToUpperInvariant(t.Text[0]);
            var expected = letter == 'A' || letter == '1' || letter == _label || (_label is { } l && letter == l + 1);
            if (!expected)
            {
                return false;
            }

            var j = at + 1;
            if (open)
            {
                if (!(IsPunct(j, ")") || IsPunct(j, "]")))
                {
                    return false;
                }

                j++;
            }
            else if (IsPunct(j, ".") || IsPunct(j, ")") || IsPunct(j, ":") || IsPunct(j, "-"))
            {
                j++;
                if (IsPunct(j, ")") || IsPunct(j, ":"))
                {
                    j++;
                }
            }
            else if (!(i > 0 && IsWord(i - 1, "REF")) &&
                     !(Is(j, TokenKind.Number) || (Is(j, TokenKind.Word) && TryStation(j, out _, out _))))
            {
                return false;
            }

            // "A. STATE" is a label; "A.STATE" inside a word run is not expected in REF lists either way.
            next = j;
            label = letter;
            return true;
        }

        private int SkipPageHeader(int i)
        {
            // PAGE 02 ROME 01196 01 OF 02 082030Z: up to the date-time group.
            for (var j = i + 2; j < Math.Min(_tokens.Count, i + 14); j++)
            {
                if (Is(j, TokenKind.Number) && _tokens[j].Text.Length == 6 && IsWord(j + 1, "Z"))
                {
                    return j + 2;
                }
            }

            return i + 2;
        }

        private List<CableReference> Assemble()
        {
            // Items (between labels and semicolons) without a cable may be typed references.
            for (var k = 0; k < _items.Count; k++)
            {
                var from = _items[k].Start;
                var to = k + 1 < _items.Count ? _items[k + 1].LabelStart : block.Length;
                if (to <= from || _found.Exists(f => f.Position >= from && f.Position < to))
                {
                    continue;
                }

                var text = Collapse(block.AsSpan(from, to - from));
                var kind = TypedKind(text);
                if (kind != ReferenceKind.Unknown)
                {
                    _found.Add((from, new CableReference { Kind = kind, Label = _items[k].Label?.ToString(), Text = text }));
                }
            }

            _found.Sort((a, b) => a.Position.CompareTo(b.Position));
            var result = new List<CableReference>(_found.Count);
            foreach (var (_, reference) in _found)
            {
                if (!result.Exists(r => r.Kind == reference.Kind && r.Id == reference.Id && r.Text == reference.Text && r.Label == reference.Label))
                {
                    result.Add(reference);
                }
            }

            return result;
        }

        private bool Is(int i, TokenKind kind) => i >= 0 && i < _tokens.Count && _tokens[i].Kind == kind;

        private bool IsPunct(int i, string text) => Is(i, TokenKind.Punct) && _tokens[i].Text == text;

        private bool IsWord(int i, string text) => Is(i, TokenKind.Word) && _tokens[i].Text == text;
    }

    private static ReferenceKind TypedKind(string text)
    {
        foreach (var word in text.Split([' ', '/', ',', '(', ')', ';', ':'], StringSplitOptions.RemoveEmptyEntries))
        {
            var w = word.ToUpperInvariant().TrimEnd('.');
            switch (w)
            {
                case "EMAIL" or "EMAILS" or "E-MAIL" or "E-MAILS" or "E-MAILS." or "EMAIL.":
                    return ReferenceKind.Email;
                case "TELCON" or "TELCONS" or "TELECON" or "TELECONS" or "TELEPHONE" or "PHONE" or "TELCONS.":
                    return ReferenceKind.Telcon;
                case "REPORT" or "REPORTS":
                    return ReferenceKind.Report;
                case "MEMO" or "MEMORANDUM" or "MEMCON":
                    return ReferenceKind.Memo;
                case "MEETING" or "MEETINGS":
                    return ReferenceKind.Meeting;
                case "FAM":
                    return ReferenceKind.Book;
                default:
                    if (w.StartsWith("TD-", StringComparison.Ordinal))
                    {
                        return ReferenceKind.Report;
                    }

                    break;
            }
        }

        return ReferenceKind.Unknown;
    }

    private static string Collapse(ReadOnlySpan<char> text)
    {
        var sb = new System.Text.StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || c == '¶')
            {
                space = sb.Length > 0;
                continue;
            }

            if (space)
            {
                sb.Append(' ');
                space = false;
            }

            sb.Append(c);
        }

        return sb.ToString().Trim(',', ';', ' ', ':');
    }

    /// <summary>Words (upper-cased letters, apostrophes kept inside), numbers and single punctuation marks; glued tokens split (09CAIRO0561).</summary>
    private static List<Token> Tokenize(string s)
    {
        var tokens = new List<Token>(s.Length / 3);
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (char.IsWhiteSpace(c) || c == '¶')
            {
                i++;
                continue;
            }

            if (!char.IsAsciiLetterOrDigit(c))
            {
                tokens.Add(new Token(TokenKind.Punct, c.ToString(), i, i + 1));
                i++;
                continue;
            }

            var start = i;
            while (i < s.Length && char.IsAsciiLetterOrDigit(s[i]))
            {
                i++;
            }

            var run = s[start..i].ToUpperInvariant();
            run = FixLetterO(run);
            var k = 0;
            while (k < run.Length)
            {
                var digit = char.IsAsciiDigit(run[k]);
                var from = k;
                while (k < run.Length && char.IsAsciiDigit(run[k]) == digit)
                {
                    k++;
                }

                tokens.Add(new Token(digit ? TokenKind.Number : TokenKind.Word, run[from..k], start + from, start + k));
            }
        }

        return tokens;
    }

    /// <summary>O typed for 0 (O4, O1512) and 0 typed for O (SANTIAG0, COTON0U, 0TTAWA).</summary>
    private static string FixLetterO(string run)
    {
        if (run.Length >= 2 && run[0] == 'O' && run.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0)
        {
            return "0" + run[1..];
        }

        var letters = 0;
        var zeros = 0;
        foreach (var c in run)
        {
            if (char.IsAsciiLetter(c))
            {
                letters++;
            }
            else if (c == '0')
            {
                zeros++;
            }
            else
            {
                return run;
            }
        }

        return letters >= 3 && zeros > 0 ? run.Replace('0', 'O') : run;
    }
}
