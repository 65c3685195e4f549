using System.Buffers;
using System.Collections.Frozen;
using Cables.Parsing.Model;

namespace Cables.Parsing.Fields;

internal sealed record TagsResult(IReadOnlyList<CableTag> Tags, IReadOnlyList<string> Raw);

/// <summary>
/// The TAGS line: raw tags as written and the normalised list (upper case, de-duplicated in order, glued tags
/// split, typos fixed, person tags written <c>SURNAME, GIVEN</c>, multi-word subject phrases kept together).
/// </summary>
internal static class Tags
{
    private const int MaxLines = 4;

    public static TagsResult Parse(string content)
    {
        var line = TagsText(content);
        if (line is null)
        {
            return new([], []);
        }

        var raw = line.Split(RawSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var upper = line.ToUpperInvariant();
        var values = new List<string>();
        foreach (var item in SplitTopLevel(upper))
        {
            Normalise(item, values, commaSeparated: upper.Contains(','));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var tags = new List<CableTag>(values.Count);
        foreach (var v in values)
        {
            if (v.Length > 0 && !Dropped.Contains(v) && seen.Add(v))
            {
                tags.Add(new CableTag(v, KindOf(v)));
            }
        }

        return new(tags, raw);
    }

    public static TagKind KindOf(string tag) => KindOf(tag, TagKind.Unknown);

    /// <summary>Kind of a normalised tag; <paramref name="unknown"/> when the tag is not recognised.</summary>
    public static TagKind KindOf(string tag, TagKind unknown)
    {
        var t = tag.Trim().ToUpperInvariant();
        if (t.Contains(", ", StringComparison.Ordinal))
        {
            return TagKind.Person;
        }

        if (Organisations.Contains(t))
        {
            return TagKind.Organisation;
        }

        if (t.Length == 2 && char.IsAsciiLetter(t[0]) && char.IsAsciiLetter(t[1]))
        {
            return TagKind.Geographic;
        }

        if (t.Length == 4 && t.All(char.IsAsciiLetter))
        {
            if (t[0] == 'K')
            {
                return TagKind.Program;
            }

            if (SubjectTags.Contains(t) || t[0] is 'A' or 'C' or 'E' or 'M' or 'O' or 'P' or 'S' or 'T')
            {
                return TagKind.Subject;
            }
        }

        return unknown;
    }

    /// <summary>The text of the TAGS field: after the keyword, over continuation lines, up to SUBJECT/E.O./a blank line/a page header.</summary>
    private static string? TagsText(string content)
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

        // Continuation lines: after a trailing comma, or when the next line is itself a list of capitals.
        var lines = new List<string>(MaxLines);
        var pos = start;
        while (lines.Count < MaxLines && pos < content.Length)
        {
            var nl = content.IndexOf('\n', pos);
            var (text, stopped) = CutLine(nl < 0 ? content[pos..] : content[pos..nl]);
            text = text.Trim();
            if (lines.Count > 0 && !lines[^1].EndsWith(',') && !ContinuesTags(text))
            {
                break;
            }

            lines.Add(text);
            if (stopped || nl < 0)
            {
                break;
            }

            pos = nl + 1;
        }

        return string.Join(' ', lines).Trim();
    }

    /// <summary>TAGS / TAG / TAGES / TABS / TAS / TGS / AGS at a word start, then a separator.</summary>
    private static int FindKeyword(string content)
    {
        var span = content.AsSpan();
        var offset = 0;
        while (offset < span.Length)
        {
            var hit = span[offset..].IndexOfAny(KeywordStarts);
            if (hit < 0)
            {
                return -1;
            }

            var i = offset + hit;
            offset = i + 1;
            // A keyword starts a word; after a digit only "TAGS:" in capitals, where a rendering lost the line
            // break after the E.O. line's date ("DECL: 08/16/2015TAGS: EMIN ETRD").
            if (i > 0 && (char.IsAsciiLetter(content[i - 1]) || (char.IsAsciiDigit(content[i - 1]) && !content.AsSpan(i).StartsWith("TAGS:", StringComparison.Ordinal))))
            {
                continue;
            }

            foreach (var (word, needsColon) in Keywords)
            {
                if (string.Compare(content, i, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) != 0)
                {
                    continue;
                }

                var j = i + word.Length;
                if (j >= content.Length || char.IsAsciiLetterOrDigit(content[j]) || (needsColon && content[j] != ':'))
                {
                    continue;
                }

                if (!needsColon && content[j] is not (':' or ';' or ',' or ' '))
                {
                    continue;
                }

                while (j < content.Length && content[j] is ':' or ';' or ',' or ' ')
                {
                    j++;
                }

                return j;
            }
        }

        return -1;
    }

    private static readonly (string Word, bool NeedsColon)[] Keywords =
    [
        ("TAGS", false), ("TAGES", false), ("TAG", false), ("TABS", true), ("TAS", true), ("TGS", true), ("AGS", true),
    ];

    /// <summary>Vectorised search for keyword candidates; the exact keyword is checked at each hit.</summary>
    private static readonly SearchValues<string> KeywordStarts =
        SearchValues.Create(["TAG", "TABS:", "TAS:", "TGS:", "AGS:"], StringComparison.OrdinalIgnoreCase);

    /// <summary>Separators as static arrays: a collection expression at the call allocated (and filled) one per call.</summary>
    private static readonly char[] RawSeparators = [',', ' ', '\n', '\t', ';'];

    private static readonly char[] WordSeparators = [' ', '\t', '\n', ':'];

    /// <summary>Each stop is looked for on its own: only its first occurrence counts, as with IndexOf.</summary>
    private static readonly (string Stop, SearchValues<string> Search)[] LineStops =
    [
        .. ((string[])["SUBJECT", "SUBJ:", "E.O.", "EO 12958", "REF:", "CLASSIFIED BY", "     ", "UNCLASSIFIED", "CONFIDENTIAL", "PAGE 0"])
            .Select(stop => (stop, TextSearch.IgnoreCase(stop))),
    ];

    /// <summary>Cuts a line at SUBJECT, E.O., REF or a page header (a long run of spaces).</summary>
    private static (string Text, bool Stopped) CutLine(string line)
    {
        var cut = line.Length;
        foreach (var (stop, search) in LineStops)
        {
            var at = TextSearch.IndexOf(line, search);
            if (at >= 0 && at < cut && (at == 0 || !char.IsAsciiLetter(line[at - 1]) || stop[0] == ' '))
            {
                cut = at;
            }
        }

        return (line[..cut].TrimEnd(), cut < line.Length);
    }

    /// <summary>A following line continues the tags when it is written in capitals like a tag list and is not another field.</summary>
    private static bool ContinuesTags(string text)
    {
        var t = text.Trim();
        if (t.Length == 0 || t.Length > 80 || t.Any(char.IsLower) || !char.IsAsciiLetter(t[0]))
        {
            return false;
        }

        foreach (var field in (ReadOnlySpan<string>)["SUBJECT", "SUBJ", "REF", "E.O", "EO ", "CLASSIFIED", "SIPDIS", "NOFORN", "FM ", "TO "])
        {
            if (t.StartsWith(field, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return t.All(c => char.IsAsciiLetterUpper(c) || c is ' ' or ',' or '-' or '/' or '(' or ')' or '.' or '\'');
    }

    /// <summary>Items separated by commas outside parentheses; a parenthesised group is one item.</summary>
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth = Math.Max(0, depth - 1);
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..];
    }

    private static void Normalise(string item, List<string> output, bool commaSeparated)
    {
        var text = item.Trim();
        if (text.Length == 0)
        {
            return;
        }

        // OVIP (STEINBERG, JAMES B.): the person in parentheses.
        var open = text.IndexOf('(', StringComparison.Ordinal);
        if (open >= 0)
        {
            var close = text.IndexOf(')', open);
            var before = text[..open];
            var inside = close > open ? text[(open + 1)..close] : text[(open + 1)..];
            var after = close > open ? text[(close + 1)..] : "";
            Normalise(before, output, commaSeparated);
            output.Add(Person(inside.Replace(",", " ", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries)));
            Normalise(after, output, commaSeparated);
            return;
        }

        var words = text.Split(WordSeparators, StringSplitOptions.RemoveEmptyEntries);
        if (commaSeparated && words.Length is > 1 and <= 3 && !words.All(IsKnownOrGlued) && !words.Any(w => SubjectTags.Contains(w) || w == "TAGS"))
        {
            // A comma-separated item of several words is one tag ("HUMAN RIGHTS", "GOI EXTERNAL").
            output.Add(Fix(string.Join(' ', words)));
            return;
        }

        SpaceSeparated(words, output);
    }

    /// <summary>Space-separated tags: known phrases, glued tags, and runs of unknown words read as SURNAME GIVEN pairs.</summary>
    private static void SpaceSeparated(string[] words, List<string> output)
    {
        var queue = new List<string>(words);
        var unknown = new List<string>();
        var i = 0;
        while (i < queue.Count)
        {
            if (MatchPhrase(queue, i) is var (phrase, consumed, rest) && phrase is not null)
            {
                Flush(unknown, output);
                output.Add(phrase);
                i += consumed;
                if (rest.Length > 0)
                {
                    queue.Insert(i, rest);
                }

                continue;
            }

            var w = Fix(queue[i]);
            if (IsKnown(w))
            {
                Flush(unknown, output);
                output.Add(w);
            }
            else if (Unglue(w) is { } parts)
            {
                Flush(unknown, output);
                output.AddRange(parts.Select(Fix));
            }
            else
            {
                unknown.Add(w);
            }

            i++;
        }

        Flush(unknown, output);
    }

    /// <summary>Unknown words between known tags: pairs are people (<c>CLINTON HILLARY</c> → <c>CLINTON, HILLARY</c>), a lone word is a tag.</summary>
    private static void Flush(List<string> unknown, List<string> output)
    {
        var i = 0;
        for (; i + 1 < unknown.Count; i += 2)
        {
            output.Add(Person([unknown[i], unknown[i + 1]]));
        }

        if (i < unknown.Count)
        {
            output.Add(unknown[i]);
        }

        unknown.Clear();
    }

    private static string Person(string[] words)
    {
        if (words.Length == 0)
        {
            return "";
        }

        var key = words.Length >= 2 ? words[0] + " " + words[1] : words[0];
        if (KnownPeople.TryGetValue(key, out var person))
        {
            return person;
        }

        return words.Length == 1 ? words[0] : words[0] + ", " + string.Join(' ', words.Skip(1));
    }

    private static (string? Phrase, int Consumed, string Remainder) MatchPhrase(List<string> words, int i)
    {
        for (var k = 0; k < Phrases.Length; k++)
        {
            var parts = PhraseWords[k];
            var phrase = Phrases[k];
            if (i + parts.Length > words.Count)
            {
                continue;
            }

            var ok = true;
            for (var w = 0; w < parts.Length - 1 && ok; w++)
            {
                ok = words[i + w] == parts[w];
            }

            var last = words[i + parts.Length - 1];
            if (!ok || !last.StartsWith(parts[^1], StringComparison.Ordinal))
            {
                continue;
            }

            // "HUMAN RIGHTSPOLMIL": the phrase ends inside a glued word; the rest goes back into the stream.
            var rest = last[parts[^1].Length..];
            if (rest.Length > 0 && Unglue(rest) is null && !IsKnown(rest))
            {
                continue;
            }

            return (PhraseFixes.GetValueOrDefault(phrase, phrase), parts.Length, rest);
        }

        return (null, 0, "");
    }

    private static bool IsKnownOrGlued(string w) => IsKnown(Fix(w)) || Unglue(Fix(w)) is not null;

    private static bool IsKnown(string w) =>
        SubjectTags.Contains(w) || Organisations.Contains(w) || w.Length == 2 && w.All(char.IsAsciiLetter) || KnownWords.Contains(w);

    /// <summary>Glued tags (<c>PHUMBA</c>, <c>KFRDKIRFCVIS…EG</c>): a split into known four-letter tags and two-letter country codes.</summary>
    private static List<string>? Unglue(string w)
    {
        if (w.Length < 6 || w.Length > 64 || !w.All(char.IsAsciiLetterUpper))
        {
            return null;
        }

        // "POLMIL": two known three-letter words.
        if (w.Length == 6 && KnownWords.Contains(w[..3]) && KnownWords.Contains(w[3..]))
        {
            return [w[..3], w[3..]];
        }

        // reach[i]: length of the last piece of a split of w[..i], 0 if none.
        Span<int> reach = stackalloc int[w.Length + 1];
        reach[0] = -1;
        for (var i = 0; i < w.Length; i++)
        {
            if (reach[i] == 0)
            {
                continue;
            }

            if (i + 4 <= w.Length && SubjectTagsBySpan.Contains(w.AsSpan(i, 4)) && reach[i + 4] == 0)
            {
                reach[i + 4] = 4;
            }

            if (i + 2 <= w.Length && GeoCodesBySpan.Contains(w.AsSpan(i, 2)) && reach[i + 2] == 0)
            {
                reach[i + 2] = 2;
            }
        }

        if (reach[w.Length] == 0)
        {
            return null;
        }


        var parts = new List<string>();
        for (var end = w.Length; end > 0; end -= reach[end])
        {
            parts.Insert(0, w[(end - reach[end])..end]);
        }

        // Country codes alone could spell any word (GASPAR → GA SP AR): a subject tag must be among the pieces.
        return parts.Exists(p => p.Length == 4) ? parts : null;
    }

    private static string Fix(string tag) => Typos.GetValueOrDefault(tag, tag);

    /// <summary>Not tags: handling caveats that slipped into the list.</summary>
    private static readonly FrozenSet<string> Dropped = FrozenSet.ToFrozenSet(["SIPDIS", "NOFORN", ""], StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> Typos = new Dictionary<string, string>
    {
        ["MOPPS"] = "MOPS", ["UNDESCO"] = "UNESCO", ["RU"] = "RS", ["COUNTER TERRORISM"] = "COUNTERTERRORISM", ["PREFA"] = "PREF",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> PhraseFixes = new Dictionary<string, string>
    {
        ["COUNTER TERRORISM"] = "COUNTERTERRORISM",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Person tags with the full name the archive uses.</summary>
    private static readonly FrozenDictionary<string, string> KnownPeople = new Dictionary<string, string>
    {
        ["STEINBERG JAMES"] = "STEINBERG, JAMES B.", ["BUSH GEORGE"] = "BUSH, GEORGE W.", ["STEINBERG, JAMES"] = "STEINBERG, JAMES B.",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Multi-word subject tags written without commas, longest first.</summary>
    private static readonly string[] Phrases =
    [
        "ISRAELI PALESTINIAN AFFAIRS", "ITALY NATIONAL ELECTIONS", "POLITICS FOREIGN POLICY", "MEETINGS WITH AMBASSADOR",
        "MEDIA REACTION REPORT", "ECONOMY AND FINANCE", "GAZA DISENGAGEMENT", "COUNTRY CLEARANCE", "DOMESTIC POLITICS",
        "COUNTER TERRORISM", "ITALIAN POLITICS", "CONSULAR AFFAIRS", "ECONOMIC AFFAIRS", "POLITICAL AFFAIRS", "GLOBAL DEFENSE",
        "IRAQI FREEDOM", "HUMAN RIGHTS", "TIP IN TURKEY", "GOI EXTERNAL", "GOI INTERNAL", "NEW ZEALAND", "FOREIGN POLICY",
        "FOREIGN POL", "MEDIA REACTION", "TRADE", "ENERGY", "ECONOMICS",
    ];

    private static readonly string[][] PhraseWords = [.. Phrases.Select(p => p.Split(' '))];

    private static readonly FrozenSet<string> KnownWords = FrozenSet.ToFrozenSet(
    [
        "POL", "MIL", "LABOR", "COUNTERTERRORISM", "TAGS", "ZANU-PF", "IPR", "CWC", "CBW", "AVERY",
    ], StringComparer.Ordinal);

    private static readonly FrozenSet<string> Organisations = FrozenSet.ToFrozenSet(
    [
        "NATO", "NASA", "BA'ATH", "EUN", "UN", "UNSC", "UNGA", "UNESCO", "UNHCR", "UNHRC", "IAEA", "OPCW", "OSCE", "ASEAN", "APEC", "OAS",
        "AU", "WTO", "IMF", "WHO", "ICRC", "OPEC", "SADC", "ECOWAS", "HAMAS", "HIZBALLAH", "FARC", "ELN", "PKK", "ETA", "UNMIK", "KFOR",
        "ISAF", "MONUC", "UNIFIL", "OECD", "IBRD", "EBRD", "IDB", "ADB", "AFDB", "G8", "G20", "EU", "UNDP", "UNICEF", "WFP", "FAO", "ILO",
        "UNODC", "ICC", "ICTY", "ICTR", "CTBTO", "UNAMA", "UNAMI", "MINUSTAH", "UNMIS", "UNAMID", "AMISOM", "SCO", "GCC", "CARICOM",
        "MERCOSUR", "UNASUR", "ALBA", "COE", "INTERPOL", "EUROPOL", "FATF", "IOM", "UNRWA", "UNFICYP", "UNMEE", "UNOMIG", "UNDOF",
        "UNTSO", "KDP", "PUK", "SPLM", "JEM", "SLA", "LRA", "LTTE", "PLO", "PA", "ANC", "MDC", "ZANU", "TALIBAN", "AQIM", "AQAP",
    ], StringComparer.Ordinal);

    /// <summary>Two-letter country and area codes used in TAGS (FIPS 10-4 as the Department writes them).</summary>
    private static readonly FrozenSet<string> GeoCodes = FrozenSet.ToFrozenSet(
    [
        "AF", "AL", "AG", "AN", "AO", "AC", "AR", "AM", "AS", "AU", "AJ", "BF", "BA", "BG", "BB", "BO", "BE", "BH", "BN", "BT", "BL", "BK",
        "BC", "BR", "BX", "BU", "UV", "BM", "BY", "CB", "CM", "CA", "CV", "CT", "CD", "CI", "CH", "CO", "CN", "CF", "CG", "CS", "IV", "HR",
        "CU", "CY", "EZ", "DA", "DJ", "DO", "DR", "TT", "EC", "EG", "ES", "EK", "ER", "EN", "ET", "FJ", "FI", "FR", "GB", "GA", "GG", "GM",
        "GH", "GR", "GJ", "GT", "GV", "PU", "GY", "HA", "HO", "HU", "IC", "IN", "ID", "IR", "IZ", "EI", "IS", "IT", "JM", "JA", "JO", "KZ",
        "KE", "KR", "KN", "KS", "KV", "KU", "KG", "LA", "LG", "LE", "LT", "LI", "LY", "LS", "LH", "LU", "MK", "MA", "MI", "MY", "MV", "ML",
        "MT", "RM", "MR", "MP", "MX", "FM", "MD", "MN", "MG", "MJ", "MO", "MZ", "WA", "NR", "NP", "NL", "NZ", "NU", "NG", "NI", "NO", "MU",
        "PK", "PS", "PM", "PP", "PA", "PE", "RP", "PL", "PO", "QA", "RO", "RS", "RW", "SC", "ST", "VC", "WS", "SM", "TP", "SA", "SG", "RI",
        "SE", "SL", "SN", "LO", "SI", "BP", "SO", "SF", "SP", "CE", "SU", "NS", "WZ", "SW", "SZ", "SY", "TW", "TI", "TZ", "TH", "TO", "TD",
        "TS", "TU", "TX", "TV", "UG", "UP", "AE", "UK", "US", "UY", "UZ", "NH", "VT", "VE", "VM", "YM", "ZA", "ZI", "TF", "WE", "GZ", "XA",
        "XB", "XC", "XD", "XE", "XF", "XG", "XH", "XI", "XJ", "XK", "XL", "XM", "XN", "XO", "XP", "XQ", "XR", "XS", "XT", "XU", "XV", "XW",
        "XX", "XY", "XZ", "EUN", "KV", "TB", "CJ", "GI", "GL", "GP", "GQ", "HK", "MC", "NC", "RQ", "VQ", "SB",
    ], StringComparer.Ordinal);

    /// <summary>Four-letter subject and program tags of the Department's TAGS list.</summary>
    private static readonly FrozenSet<string> SubjectTags = FrozenSet.ToFrozenSet(
    [
        "ABLD", "ABUD", "ACOA", "ADCO", "ADPM", "AEMR", "AFIN", "AFSI", "AFSN", "AGAO", "AINF", "AINR", "AINT", "ALOW", "AMED", "AMGT",
        "AODE", "AORC", "AORG", "APCS", "APER", "ASCH", "ASEC", "ASIG", "ASUP", "ATRN", "AVIS", "BBSR", "BEXP", "BMGT", "BTIO",
        "CASC", "CFED", "CJAN", "CLOK", "CMGT", "CPAS", "CVIS", "EAGR", "EAID", "EAIR", "ECIN", "ECON", "ECPS", "EDEV", "EFIN", "EFIS",
        "EIND", "EINT", "EINV", "ELAB", "ELTN", "EMIN", "ENRG", "ENVR", "EPET", "ETRC", "ETRD", "ETTC", "EUNCH", "EWWT", "EXIM", "ESTH",
        "KACT", "KAWC", "KBCT", "KBIO", "KCFE", "KCIP", "KCOR", "KCRM", "KCRS", "KDEM", "KDRG", "KFLO", "KFLU", "KFRD", "KGHG", "KGIC",
        "KHDP", "KHIV", "KHLS", "KICC", "KIDE", "KIPR", "KIRF", "KISL", "KJUS", "KLIG", "KMCA", "KMDR", "KMPI", "KNAR", "KNNP", "KNUC",
        "KNUP", "KOCI", "KOLY", "KOMC", "KPAL", "KPAO", "KPKO", "KPLS", "KPOW", "KPRV", "KRAD", "KREF", "KRVC", "KSAF", "KSCA", "KSEO",
        "KSEP", "KSPR", "KSTC", "KSTH", "KSUM", "KTDB", "KTER", "KTEX", "KTFN", "KTIA", "KTIP", "KUNR", "KVPR", "KWAC", "KWBG", "KWMN",
        "KGCC", "KNSD", "KPIN", "KMRS", "KCHG", "KPWR", "KSCI", "KVIR", "KDDG", "KHUM", "KGIT", "KBTS", "KSAC", "KCMR", "KNEI",
        "MARR", "MASC", "MASS", "MCAP", "MNUC", "MOPS", "MPOS", "MTCR", "MCCC",
        "OCII", "ODIP", "OEXC", "OFDP", "OIIP", "OPDC", "OPRC", "OREP", "OSAC", "OSCI", "OTRA", "OVIP", "OCRA", "OPAD",
        "PARM", "PBTS", "PGOV", "PHSA", "PHUM", "PINR", "PINS", "PINT", "PNAT", "POLM", "POLI", "PREF", "PREL", "PROP", "PTER", "PGIV",
        "PECON", "PMIL", "PHAS", "PDIP",
        "SCUL", "SENV", "SMIG", "SNAR", "SOCI", "SPCE", "STEC", "SWCI", "SCRM", "SHUM",
        "TBIO", "TINT", "TNAR", "TPHY", "TRGY", "TSPA", "TSPL", "TIPS",
    ], StringComparer.Ordinal);

    /// <summary>Span lookups: ungluing tests every position of a word without cutting a substring for it.</summary>
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> SubjectTagsBySpan = SubjectTags.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> GeoCodesBySpan = GeoCodes.GetAlternateLookup<ReadOnlySpan<char>>();
}
