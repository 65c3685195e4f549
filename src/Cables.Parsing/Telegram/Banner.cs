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
    /// The banner: the first classification line naming the originator and serial before the first field line
    /// (E.O., TAGS, SUBJECT); else the first bare classification line there (<c>CONFIDENTIAL//NOFORN</c>); null when none.
    /// Page headers of old layouts (<c>UNCLASSIFIED     PTQ9603</c>) and e-mail wrappers come first in some cables, so
    /// a line without a serial does not end the search.
    /// </summary>
    public static Banner? Find(IReadOnlyList<string> lines, out int index)
    {
        Banner? bare = null;
        var bareIndex = -1;
        // The banner precedes the fields; old layouts put up to ~100 lines of distribution lists before it.
        for (var i = 0; i < lines.Count && i < 300; i++)
        {
            var line = lines[i];
            if (IsFieldLine(line))
            {
                break;
            }

            if (line.Length == 0 || !TelegramText.StartsWithLevelWord(line))
            {
                continue;
            }

            var tokens = Tokenize(line);
            if (tokens.Count == 0 || LevelOf(tokens, out var consumed) is not { } level)
            {
                continue;
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

            var (city, serial) = CityAndSerial(tokens, at);
            if (city is null)
            {
                if (bare is null)
                {
                    bare = new Banner(level, caveats, null, null);
                    bareIndex = i;
                }

                continue;
            }

            ReadCaveatLines(lines, i + 1, caveats);
            index = i;
            return new Banner(level, caveats, city, serial);
        }

        if (bare is not null)
        {
            ReadCaveatLines(lines, bareIndex + 1, (List<string>)bare.Caveats);
        }

        index = bareIndex;
        return bare;
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
    private static bool IsFieldLine(string line) =>
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

            var tokens = Tokenize(lines[i]);
            for (var t = 0; t < tokens.Count; t++)
            {
                var token = tokens[t].AsSpan().Trim(",;.:");
                if (token is "SENSITIVE" && t + 1 < tokens.Count && tokens[t + 1] == "BUT")
                {
                    continue;
                }

                if (token is "NOFORN" or "SENSITIVE" or "SIPDIS" or "EXDIS" or "NODIS" or "LIMDIS" or "STADIS" or "EFTO" or "ORCON" or "PROPIN" or "TERREP")
                {
                    AddCaveat(caveats, token.ToString());
                }
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

    private static ClassificationLevel? LevelOf(List<string> tokens, out int consumed)
    {
        consumed = 1;
        switch (tokens[0])
        {
            case "UNCLAS" or "UNCLASSIFIED":
                return ClassificationLevel.Unclassified;
            case "CONFIDENTIAL":
                return ClassificationLevel.Confidential;
            case "SECRET":
                return ClassificationLevel.Secret;
            case "TOPSECRET":
                return ClassificationLevel.TopSecret;
            case "TOP" when tokens.Count > 1 && tokens[1] == "SECRET":
                consumed = 2;
                return ClassificationLevel.TopSecret;
            case "LIMITEDOFFICIALUSE":
                return ClassificationLevel.UnclassifiedForOfficialUseOnly;
            case "LIMITED" when tokens.Count > 2 && tokens[1] == "OFFICIAL" && tokens[2] == "USE":
                consumed = 3;
                return ClassificationLevel.UnclassifiedForOfficialUseOnly;
            default:
                return null;
        }
    }

    private static (string? City, string? Serial) CityAndSerial(List<string> tokens, int at)
    {
        var cityStart = at;
        while (at < tokens.Count && tokens[at].Length > 0 && char.IsAsciiLetterUpper(tokens[at][0]) && IsCityWord(tokens[at]))
        {
            at++;
        }

        if (at == cityStart || at == tokens.Count || !char.IsAsciiDigit(tokens[at][0]))
        {
            return (null, null);
        }

        var digits = tokens[at].AsSpan();
        var end = 0;
        while (end < digits.Length && char.IsAsciiDigit(digits[end]))
        {
            end++;
        }

        var serial = digits[..end].TrimStart('0');
        return serial.IsEmpty ? (null, null) : (string.Join(' ', tokens.GetRange(cityStart, at - cityStart)), serial.ToString());
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

            Flush(tokens, letters);
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
