using Cables.Parsing.Model;

namespace Cables.Parsing.Telegram;

/// <summary>
/// The classification banner that opens the body: <c>C O N F I D E N T I A L SECTION 01 OF 03 BRUSSELS 001390</c>,
/// <c>UNCLAS SENSITIVE STATE 012345</c>, <c>S E C R E T NOFORN</c>. Level, caveats, and the originator's
/// city and serial that make up the reference id.
/// </summary>
internal sealed record Banner(ClassificationLevel Level, IReadOnlyList<string> Caveats, string? City, string? Serial)
{
    /// <summary>Markings that may follow the level on the banner or stand alone on the lines under it.</summary>
    private static readonly HashSet<string> s_caveats =
    [
        "NOFORN", "NF", "SIPDIS", "EXDIS", "NODIS", "LIMDIS", "STADIS", "SENSITIVE", "EFTO", "FOUO", "SBU", "ORCON",
        "PROPIN", "NOCONTRACT", "TERREP", "ROGER", "CHEROKEE",
    ];

    /// <summary>
    /// The banner: the first classification line naming the originator and serial from line <paramref name="from"/> to
    /// the first field line (E.O., TAGS, SUBJECT); else the first bare classification line there
    /// (<c>CONFIDENTIAL//NOFORN</c>); null when none. Page headers of old layouts (<c>UNCLASSIFIED     PTQ9603</c>) and
    /// e-mail wrappers come first in some cables, so a line without a serial does not end the search.
    /// </summary>
    public static Banner? Find(IReadOnlyList<string> lines, int from, out int index)
    {
        Banner? bare = null;
        var bareIndex = -1;
        var i = from;

        // The banner precedes the fields; old layouts put up to ~100 lines of distribution lists before it.
        for (; i < lines.Count && i < from + ZoneLines; i++)
        {
            var line = lines[i];
            if (IsFieldLine(line))
            {
                break;
            }

            if (Read(line) is not { } banner)
            {
                continue;
            }

            if (banner.City is null)
            {
                if (bare is null)
                {
                    bare = banner;
                    bareIndex = i;
                }

                continue;
            }

            ReadCaveatLines(lines, i + 1, (List<string>)banner.Caveats);
            index = i;
            return banner;
        }

        if (bare is not null)
        {
            ReadCaveatLines(lines, bareIndex + 1, (List<string>)bare.Caveats);
        }

        // Mirrors that repeat the TAGS and SUBJECT lines above the telegram put its banner just below them: without a
        // serial above the fields, a whole banner there still names the cable (the body still starts above).
        var atFields = i < lines.Count && IsFieldLine(lines[i]);
        for (var j = i; atFields && j < lines.Count && j < i + BelowFieldLines; j++)
        {
            if (lines[j].Length > 0 && Read(lines[j]) is { City: not null } below)
            {
                index = bareIndex;
                return bare is null ? below : bare with { City = below.City, Serial = below.Serial, SerialGlued = below.SerialGlued };
            }
        }

        index = bareIndex;
        return bare;
    }

    /// <summary>How far below <c>from</c> a banner is looked for.</summary>
    private const int ZoneLines = 300;

    /// <summary>How far below the first field line a whole banner is looked for when none came before it.</summary>
    private const int BelowFieldLines = 40;

    /// <summary>Whether the banner's serial ran into letters (<c>REYKJAVIK 00040QSITIVE</c>): a damaged line.</summary>
    public bool SerialGlued { get; init; }

    /// <summary>One line read as a banner: level, caveats, and the city and serial when it names them; null when it is none.</summary>
    private static Banner? Read(string line)
    {
        if (line.Length == 0 || !MayStartWithLevel(line))
        {
            return null;
        }

        var tokens = Tokenize(line);
        if (tokens.Count == 0 || LevelOf(tokens, out var consumed) is not { } level)
        {
            return null;
        }

        // A level word in lower or mixed case makes a banner only in the banner's own shape (letter-spaced, then
        // SECTION, city and serial and nothing else): "Secret talks in Cairo 2009" is prose.
        if (LevelInLowerCase(line) && !(LetterSpaced(line) && EndsInSerial(tokens)))
        {
            return null;
        }

        var caveats = new List<string>();
        var at = consumed;
        while (at < tokens.Count && s_caveats.Contains(tokens[at]))
        {
            AddCaveat(caveats, tokens[at++]);
        }

        if (at + 2 < tokens.Count && tokens[at] == "LIMITED" && tokens[at + 1] == "OFFICIAL" && tokens[at + 2] == "USE")
        {
            // "UNCLASSIFIED LIMITED OFFICIAL USE": the archive labels these UNCLASSIFIED (4 of 4 in the corpus).
            at += 3;
        }

        if (at + 3 < tokens.Count && tokens[at] == "FOR" && tokens[at + 1] == "OFFICIAL" && tokens[at + 2] == "USE" && tokens[at + 3] == "ONLY")
        {
            AddCaveat(caveats, "FOUO");
            at += 4;
        }

        if (at + 3 < tokens.Count && tokens[at] == "SECTION" && tokens[at + 2] is "OF" or "of")
        {
            at += 4;
        }

        var (city, serial, glued) = CityAndSerial(tokens, at);
        if (city is null)
        {
            return new Banner(level, caveats, null, null);
        }

        // Renderings that lost line breaks glue the caveat lines onto the banner: read what follows the serial too.
        AddCaveatWords(tokens, at, caveats);
        return new Banner(level, caveats, city, serial) { SerialGlued = glued };
    }

    /// <summary>Level from the ZNY/ZNR security line's repeated letter (<c>ZNY CCCCC ZZH</c>), for cables whose banner is lost.</summary>
    public static ClassificationLevel LevelOfSecurityLine(string? securityLine)
    {
        if (securityLine is null || securityLine.Length < 9)
        {
            return ClassificationLevel.Unknown;
        }

        return securityLine.AsSpan(4, 5) switch
        {
            "UUUUU" or "EEEEE" => ClassificationLevel.Unclassified,
            "CCCCC" => ClassificationLevel.Confidential,
            "SSSSS" => ClassificationLevel.Secret,
            "TTTTT" => ClassificationLevel.TopSecret,
            _ => ClassificationLevel.Unknown,
        };
    }

    /// <summary>
    /// For a cable whose banner and security line are both lost: the highest paragraph marking (<c>(U)</c>, <c>(SBU)</c>,
    /// <c>(C)</c>, <c>(S/NF)</c>, <c>(TS)</c>), since a cable is classified at its most classified paragraph; NOFORN
    /// when a paragraph at that level carries it. Unknown when no paragraph is marked.
    /// </summary>
    public static (ClassificationLevel Level, IReadOnlyList<string> Caveats) LevelOfParagraphMarkings(IReadOnlyList<Paragraph> paragraphs)
    {
        var level = ClassificationLevel.Unknown;
        var noforn = false;
        foreach (var paragraph in paragraphs)
        {
            if (paragraph.Marking is not { Length: > 0 } marking)
            {
                continue;
            }

            var parts = marking.ToUpperInvariant().Split(['/', '-', ' '], StringSplitOptions.RemoveEmptyEntries);
            var marked = parts.Length == 0 ? ClassificationLevel.Unknown : parts[0] switch
            {
                "U" => ClassificationLevel.Unclassified,
                "SBU" => ClassificationLevel.UnclassifiedForOfficialUseOnly,
                "C" => ClassificationLevel.Confidential,
                "S" => ClassificationLevel.Secret,
                "TS" => ClassificationLevel.TopSecret,
                _ => ClassificationLevel.Unknown,
            };

            var markedNoforn = Array.IndexOf(parts, "NF") > 0 || Array.IndexOf(parts, "NOFORN") > 0;
            if (marked > level)
            {
                (level, noforn) = (marked, markedNoforn);
            }
            else if (marked == level)
            {
                noforn |= markedNoforn;
            }
        }

        return (level, noforn ? ["NOFORN"] : []);
    }

    /// <summary>The archive's label: the level, <c>//NOFORN</c> when the cable carries it; UNCLAS SENSITIVE is "for official use only".</summary>
    public static string? Label(ClassificationLevel level, IReadOnlyList<string> caveats)
    {
        var name = level switch
        {
            ClassificationLevel.Unclassified => "UNCLASSIFIED",
            ClassificationLevel.UnclassifiedForOfficialUseOnly => "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
            ClassificationLevel.Confidential => "CONFIDENTIAL",
            ClassificationLevel.Secret => "SECRET",
            ClassificationLevel.TopSecret => "TOP SECRET",
            _ => null,
        };

        // NOFORN with SENSITIVE stays unmarked in the archive (3 of 3 in the corpus).
        return name is not null && level >= ClassificationLevel.Confidential && caveats.Contains("NOFORN") && !caveats.Contains("SENSITIVE")
            ? name + "//NOFORN"
            : name;
    }

    /// <summary>Level with the caveats that raise it: UNCLAS with SENSITIVE, SBU or FOUO is "for official use only".</summary>
    public ClassificationLevel EffectiveLevel =>
        Level == ClassificationLevel.Unclassified && (Caveats.Contains("SENSITIVE") || Caveats.Contains("SBU") || Caveats.Contains("FOUO"))
            ? ClassificationLevel.UnclassifiedForOfficialUseOnly
            : Level;

    /// <summary>Lines of the body that end the banner zone (the first field lines).</summary>
    internal static bool IsFieldLine(string line) =>
        line.StartsWith("E.O.", StringComparison.Ordinal) || line.StartsWith("TAGS", StringComparison.Ordinal)
        || line.StartsWith("SUBJECT", StringComparison.Ordinal) || line.StartsWith("SUBJ:", StringComparison.Ordinal);

    /// <summary>
    /// Caveats on the lines under the banner up to the E.O./TAGS lines (<c>SIPDIS</c>, <c>NOFORN</c>, <c>SENSITIVE, SIPDIS</c>,
    /// <c>SECRET NOFORN</c>). Measured on the corpus: a NOFORN or SENSITIVE there is the archive's caveat wherever it
    /// stands on the line; "SENSITIVE BUT UNCLASSIFIED" is not (the archive labels those UNCLASSIFIED).
    /// </summary>
    private static void ReadCaveatLines(IReadOnlyList<string> lines, int from, List<string> caveats)
    {
        for (var i = from; i < lines.Count && i < from + 15; i++)
        {
            if (IsFieldLine(lines[i]))
            {
                return;
            }

            AddCaveatWords(Tokenize(lines[i]), 0, caveats);
        }
    }

    private static void AddCaveatWords(List<string> tokens, int from, List<string> caveats)
    {
        for (var t = from; t < tokens.Count; t++)
        {
            var token = tokens[t].AsSpan().Trim(",;.:");
            if (token is "E" or "E.O." or "TAGS" or "TAGS:")
            {
                return;
            }

            // SENSITIVE BUT UNCLASSIFIED is not the caveat (measured on the corpus); BUSINESS SENSITIVE is a marking of
            // proprietary information, not the SENSITIVE of UNCLAS SENSITIVE.
            if (token is "SENSITIVE" && ((t + 1 < tokens.Count && tokens[t + 1] == "BUT") || (t > 0 && tokens[t - 1] == "BUSINESS")))
            {
                continue;
            }

            if (token is "NOFORN" or "SENSITIVE" or "SIPDIS" or "EXDIS" or "NODIS" or "LIMDIS" or "STADIS" or "EFTO" or "ORCON" or "PROPIN" or "TERREP")
            {
                AddCaveat(caveats, token.ToString());
            }
        }
    }

    private static void AddCaveat(List<string> caveats, string token)
    {
        var caveat = token == "NF" ? "NOFORN" : token;
        if (!caveats.Contains(caveat))
        {
            caveats.Add(caveat);
        }
    }

    /// <summary>
    /// The level from the first tokens, joined: a level word split by a damaged letter-spacing (<c>CO N F I D E N T I A L</c>,
    /// <c>SE C R E T</c>, <c>TOP SECRET</c>, <c>LIMITED OFFICIAL USE</c>) or written with its first letter doubled
    /// (<c>CC O N F I D E N …</c>, <c>UUNCLAS</c>).
    /// </summary>
    private static ClassificationLevel? LevelOf(List<string> tokens, out int consumed)
    {
        Span<char> joined = stackalloc char[24];
        var length = 0;
        for (var j = 0; j < tokens.Count && j < 3 && length + tokens[j].Length <= joined.Length; j++)
        {
            tokens[j].CopyTo(joined[length..]);
            length += tokens[j].Length;
            var word = joined[..length];
            if (word.Length > 2 && word[0] == word[1])
            {
                word = word[1..];
            }

            foreach (var (name, level) in s_levels)
            {
                if (word.SequenceEqual(name))
                {
                    consumed = j + 1;
                    return level;
                }
            }
        }

        consumed = 0;
        return null;
    }

    private static readonly (string Name, ClassificationLevel Level)[] s_levels =
    [
        ("UNCLAS", ClassificationLevel.Unclassified),
        ("UNCLASSIFIED", ClassificationLevel.Unclassified),
        ("CONFIDENTIAL", ClassificationLevel.Confidential),
        ("SECRET", ClassificationLevel.Secret),
        ("TOPSECRET", ClassificationLevel.TopSecret),
        ("LIMITEDOFFICIALUSE", ClassificationLevel.UnclassifiedForOfficialUseOnly),
    ];

    /// <summary>Level words a letter-spaced run may stop short of, its last letters glued to the city (<c>C O N F I D E N T I A LCAIRO</c>).</summary>
    private static readonly string[] s_gluableLevels = ["CONFIDENTIAL", "UNCLASSIFIED", "SECRET", "UNCLAS"];

    /// <summary>
    /// Whether the line may open with a level word, in any of the banner's renderings: letters read across single
    /// spaces, any case, a doubled first letter dropped. A cheap filter over the line's first characters only;
    /// <see cref="LevelOf"/> decides.
    /// </summary>
    internal static bool MayStartWithLevel(ReadOnlySpan<char> line)
    {
        Span<char> head = stackalloc char[6];
        var n = 0;
        var start = 0;
        while (start < line.Length && start < 8 && line[start] is ' ' or '\t' or '"')
        {
            start++;
        }

        for (var i = start; i < line.Length && i < start + 16 && n < head.Length; i++)
        {
            var c = line[i];
            if (char.IsAsciiLetter(c))
            {
                head[n++] = char.ToUpperInvariant(c);
            }
            else if (c != ' ' || (i + 1 < line.Length && line[i + 1] == ' '))
            {
                break;
            }
        }

        var letters = n > 2 && head[0] == head[1] ? head[1..n] : head[..n];
        return letters.Length >= 5 && (letters.StartsWith("UNCLA") || letters.StartsWith("CONFI") || letters.StartsWith("SECRE")
            || letters.StartsWith("TOPSE") || letters.StartsWith("LIMIT"));
    }

    /// <summary>Whether the level word has lower-case letters (<c>S e c r e t</c>, <c>Secret</c>): its first two letters tell.</summary>
    private static bool LevelInLowerCase(string line)
    {
        var letters = 0;
        foreach (var c in line)
        {
            if (char.IsAsciiLetterLower(c))
            {
                return true;
            }

            if (char.IsAsciiLetter(c) && ++letters == 2)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary><c>S e c r e t</c>: the line opens with single letters separated by spaces.</summary>
    private static bool LetterSpaced(string line)
    {
        var span = line.AsSpan().TrimStart();
        return span.Length > 4 && char.IsAsciiLetter(span[0]) && span[1] == ' ' && char.IsAsciiLetter(span[2]) && span[3] == ' ';
    }

    /// <summary>The banner's tail: the last token is the serial (digits only).</summary>
    private static bool EndsInSerial(List<string> tokens) =>
        tokens.Count > 2 && !tokens[^1].AsSpan().ContainsAnyExceptInRange('0', '9');

    private static (string? City, string? Serial, bool Glued) CityAndSerial(List<string> tokens, int at)
    {
        var cityStart = at;
        while (at < tokens.Count && tokens[at].Length > 0 && char.IsAsciiLetterUpper(tokens[at][0]) && IsCityWord(tokens[at]))
        {
            at++;
        }

        if (at == cityStart || at == tokens.Count || !char.IsAsciiDigit(tokens[at][0]))
        {
            return (null, null, false);
        }

        var digits = tokens[at].AsSpan();
        var end = 0;
        while (end < digits.Length && char.IsAsciiDigit(digits[end]))
        {
            end++;
        }

        var serial = digits[..end].TrimStart('0');
        var glued = end < digits.Length && char.IsAsciiLetter(digits[end]);
        return serial.IsEmpty ? (null, null, false) : (string.Join(' ', tokens.GetRange(cityStart, at - cityStart)), serial.ToString(), glued);
    }

    private static bool IsCityWord(string token)
    {
        foreach (var c in token)
        {
            if (!char.IsAsciiLetterUpper(c) && c is not ('.' or '-' or '\''))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Space-separated tokens, letter-spaced words closed up (<c>C O N F I D E N T I A L</c>, <c>E F T O</c>),
    /// <c>CONFIDENTIAL//NOFORN</c> split at the slashes.</summary>
    internal static List<string> Tokenize(string line)
    {
        var tokens = new List<string>();
        var span = line.AsSpan().Trim().TrimStart('"');
        if (span.ContainsAnyInRange('a', 'z'))
        {
            // A banner typed in lower or mixed case (S e c r e t state 135366): read as the upper-case banner.
            span = span.ToString().ToUpperInvariant();
        }

        if (span.StartsWith("SS E C R E T"))
        {
            // A doubled first letter seen in some renderings.
            span = span[1..];
        }

        var letters = new System.Text.StringBuilder();
        foreach (var range in span.Split(' '))
        {
            var word = span[range];
            if (word.IsEmpty)
            {
                continue;
            }

            if (word.Length == 1 && char.IsAsciiLetterUpper(word[0]))
            {
                letters.Append(word[0]);
                continue;
            }

            word = UngluedFromLevel(letters, word);
            Flush(tokens, letters);
            if (word.IsEmpty)
            {
                continue;
            }

            if (word.Contains("//", StringComparison.Ordinal))
            {
                foreach (var part in word.ToString().Split("//", StringSplitOptions.RemoveEmptyEntries))
                {
                    tokens.Add(part);
                }
            }
            else
            {
                tokens.Add(word.ToString());
            }
        }

        Flush(tokens, letters);
        return tokens;

        // C O N F I D E N T I A LCAIRO: the run stops short of a level word whose last letters open the next word.
        static ReadOnlySpan<char> UngluedFromLevel(System.Text.StringBuilder letters, ReadOnlySpan<char> word)
        {
            if (letters.Length < 3)
            {
                return word;
            }

            foreach (var level in s_gluableLevels)
            {
                var missing = level.Length - letters.Length;
                if (missing > 0 && word.Length > missing && word.StartsWith(level.AsSpan(letters.Length)) && letters.Equals(level.AsSpan(0, letters.Length)))
                {
                    letters.Append(level.AsSpan(letters.Length));
                    return word[missing..];
                }
            }

            return word;
        }

        static void Flush(List<string> tokens, System.Text.StringBuilder letters)
        {
            if (letters.Length > 0)
            {
                // "S E C R E T N O F O R N" closes up to one run: split the level from its caveat.
                var run = letters.ToString();
                var level = run.StartsWith("CONFIDENTIAL", StringComparison.Ordinal) ? 12 : run.StartsWith("SECRET", StringComparison.Ordinal) ? 6 : 0;
                if (level > 0 && run.Length > level && s_caveats.Contains(run[level..]))
                {
                    tokens.Add(run[..level]);
                    tokens.Add(run[level..]);
                }
                else
                {
                    tokens.Add(run);
                }

                letters.Clear();
            }
        }
    }
}
