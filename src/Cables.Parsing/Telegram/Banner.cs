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

    /// <summary>The first banner line among the body's opening lines, or null (a partial extract may have none).</summary>
    public static Banner? Find(IReadOnlyList<string> bodyLines)
    {
        for (var i = 0; i < bodyLines.Count && i < 40; i++)
        {
            var line = bodyLines[i];
            if (IsFieldLine(line))
            {
                return null;
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

            if (at + 3 < tokens.Count && tokens[at] == "SECTION" && tokens[at + 2] == "OF")
            {
                at += 4;
            }

            var (city, serial) = CityAndSerial(tokens, at);
            ReadCaveatLines(bodyLines, i + 1, caveats);
            return new Banner(level, caveats, city, serial);
        }

        return null;
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

        return name is not null && level >= ClassificationLevel.Confidential && caveats.Contains("NOFORN") ? name + "//NOFORN" : name;
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

    /// <summary>Caveat-only lines under the banner (<c>SIPDIS</c>, <c>NOFORN</c>, <c>SECRET NOFORN</c>) until the E.O./TAGS lines.</summary>
    private static void ReadCaveatLines(IReadOnlyList<string> lines, int from, List<string> caveats)
    {
        for (var i = from; i < lines.Count && i < from + 12; i++)
        {
            if (IsFieldLine(lines[i]))
            {
                return;
            }

            var tokens = Tokenize(lines[i]);
            var start = tokens.Count > 0 && LevelOf(tokens, out var consumed) is not null ? consumed : 0;
            if (start == tokens.Count)
            {
                continue;
            }

            var all = true;
            for (var t = start; t < tokens.Count && all; t++)
            {
                all = s_caveats.Contains(tokens[t]);
            }

            if (all)
            {
                for (var t = start; t < tokens.Count; t++)
                {
                    AddCaveat(caveats, tokens[t]);
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
        var span = line.AsSpan().Trim();
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
                tokens.Add(letters.ToString());
                letters.Clear();
            }
        }
    }
}
