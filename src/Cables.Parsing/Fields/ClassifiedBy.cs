using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using Cables.Parsing.Model;

namespace Cables.Parsing.Fields;

internal sealed record ClassifiedByResult(IReadOnlyList<Classifier> Classifiers, IReadOnlyList<string> Reasons);

/// <summary>
/// The "Classified By" line: who classified the cable (names without their titles) and the E.O. reasons
/// (<c>1.4(b)</c>, <c>1.4(d)</c>). Names are kept as written unless <c>normalize</c> asks for title case.
/// </summary>
internal static class ClassifiedBy
{
    private const int MaxSegment = 400;

    private static readonly SearchValues<string> ByWord = TextSearch.IgnoreCase("by");

    /// <summary>Where the name part ends (see <see cref="Terminator"/>).</summary>
    private static readonly SearchValues<string> TerminatorWords = TextSearch.IgnoreCase(
        " for re", " for r ", " for e.o", " for eo ", " for 1", " for 12958", " for for", " fr re", " f0r ", "reason", "reaons", "resons",
        "rasons", " reas", " per ", " under ", " based ", " due to", "e.o.", "e.o ", " eo ", ";", "(acting)", " re \n", " re ");

    private static readonly SearchValues<string> NoiseWords = TextSearch.IgnoreCase(
        "(C)", "(U)", "(S)", "(SBU)", "(AI)", "(CDA)", "a.i.,", "a.i.", "a. i.", "a.y.", " ai. ", "1.", "This message");

    public static ClassifiedByResult Parse(string content) => Parse(content, normalize: false);

    /// <param name="content">Cable text or a fragment of it.</param>
    /// <param name="normalize">Title-case all-capital names and repair digit/letter confusions (<c>LEE 0. COLDREN</c> → <c>Lee O. Coldren</c>).</param>
    public static ClassifiedByResult Parse(string content, bool normalize)
    {
        if (string.IsNullOrEmpty(content))
        {
            return new([], []);
        }

        List<string>? names = null;
        string? namesSegment = null;
        string? fallback = null;
        string? fallbackSegment = null;
        var reasonsFrom = -1;
        var from = 0;
        while (FindMarker(content, from) is var (markerStart, markerEnd) && markerStart >= 0)
        {
            var (segment, segmentEnd) = Segment(content, markerEnd);

            // "Classified By: Classified by DCM …": the inner marker says it again; read from there.
            var (inner, _) = FindMarker(segment, 0);
            if (inner >= 0)
            {
                from = markerEnd;
                continue;
            }

            var (many, single) = Names(segment);
            reasonsFrom = reasonsFrom < 0 ? segmentEnd : reasonsFrom;
            if (many.Count > 0)
            {
                names = many;
                namesSegment = segment;
                reasonsFrom = segmentEnd;
                break;
            }

            if (fallback is null && single is not null)
            {
                fallback = single;
                fallbackSegment = segment;
            }

            from = markerEnd;
        }

        if (names is null)
        {
            names = fallback is null ? [] : [fallback];
            namesSegment = fallbackSegment;
        }

        return new(WithTitles(names, namesSegment, normalize), reasonsFrom >= 0 ? Reasons(content, reasonsFrom) : []);
    }

    /// <summary>Pairs each name with the words written before it (<c>DCM Wayne Bush</c> → title <c>DCM</c>).</summary>
    private static List<Classifier> WithTitles(List<string> names, string? segment, bool normalize)
    {
        var classifiers = new List<Classifier>(names.Count);
        var cursor = 0;
        foreach (var name in names)
        {
            string? title = null;
            var at = segment is null ? -1 : segment.IndexOf(name, cursor, StringComparison.Ordinal);
            if (at >= 0)
            {
                title = CleanTitle(segment.AsSpan(cursor, at - cursor));
                cursor = at + name.Length;
            }

            classifiers.Add(new Classifier(normalize ? Normalize(name) : name, title));
        }

        return classifiers;
    }

    private static string? CleanTitle(ReadOnlySpan<char> text)
    {
        text = text.Trim(" \t\r\n,;:.-&");
        if (text.StartsWith("and ", StringComparison.OrdinalIgnoreCase))
        {
            text = text[4..].TrimStart();
        }

        if (text.IsEmpty || text.Length > 120)
        {
            return null;
        }

        return string.Join(' ', text.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>"Classified by" (also "Classfied by"), case-insensitive, with an optional colon.</summary>
    private static (int Start, int End) FindMarker(string text, int from)
    {
        for (var i = TextSearch.IndexOf(text, ByWord, from); i >= 0; i = TextSearch.IndexOf(text, ByWord, i + 2))
        {
            var j = i - 1;
            while (j >= 0 && text[j] == ' ')
            {
                j--;
            }

            var wordEnd = j + 1;
            while (j >= 0 && char.IsAsciiLetter(text[j]))
            {
                j--;
            }

            var word = text.AsSpan(j + 1, wordEnd - j - 1);
            if (!(word.Equals("classified", StringComparison.OrdinalIgnoreCase) || word.Equals("classfied", StringComparison.OrdinalIgnoreCase)) ||
                (i + 2 < text.Length && char.IsAsciiLetter(text[i + 2])))
            {
                continue;
            }

            var end = i + 2;
            while (end < text.Length && text[end] is ' ' or ':')
            {
                end++;
            }

            return (j + 1, end);
        }

        return (-1, -1);
    }

    /// <summary>The text after the marker up to where the reasons (or the next paragraph) begin, split words rejoined.</summary>
    private static (string Segment, int End) Segment(string content, int start)
    {
        var limit = Math.Min(content.Length, start + MaxSegment);
        var sb = new StringBuilder();
        var i = start;
        while (i < limit)
        {
            var c = content[i];
            if (c == '\n')
            {
                // A blank line ends the line; a word split at the line end ("Blah \na") is rejoined.
                var k = i + 1;
                while (k < limit && content[k] is ' ' or '\t' or '\r')
                {
                    k++;
                }

                if (k >= limit || content[k] == '\n')
                {
                    break;
                }

                var prevLower = sb.Length > 1 && sb[^1] == ' ' && char.IsLower(sb[^2]) || sb.Length > 0 && char.IsLower(sb[^1]) ||
                                sb.Length > 1 && sb[^1] == ' ' && char.IsAsciiLetterUpper(sb[^2]) && (sb.Length < 3 || sb[^3] == ' ');
                if (k == i + 1 && prevLower && char.IsLower(content[k]) && !StartsCommonWord(content, k))
                {
                    TrimEndSpaces(sb);
                }
                else if (k == i + 1 && JoinsToTitleWord(sb, content, k))
                {
                    TrimEndSpaces(sb);
                }
                else
                {
                    sb.Append(' ');
                }

                i = k;
                continue;
            }

            sb.Append(c == '\t' ? ' ' : c);
            i++;
        }

        var text = sb.ToString();
        var cut = Terminator(text);
        return (text[..cut], start + Math.Min(cut, text.Length));
    }

    private static bool StartsCommonWord(string content, int k)
    {
        foreach (var word in (ReadOnlySpan<string>)["for ", "and ", "reason", "per ", "under ", "based ", "due "])
        {
            if (string.Compare(content, k, word, 0, word.Length, StringComparison.Ordinal) == 0)
            {
                return true;
            }
        }

        return false;
    }

    private static void TrimEndSpaces(StringBuilder sb)
    {
        while (sb.Length > 0 && sb[^1] == ' ')
        {
            sb.Length--;
        }
    }

    /// <summary>"AFFAIR \nS ROBERT": upper-case words split at the line end, rejoined when they make a title word.</summary>
    private static bool JoinsToTitleWord(StringBuilder sb, string content, int next)
    {
        var end = sb.Length;
        while (end > 0 && sb[end - 1] == ' ')
        {
            end--;
        }

        var start = end;
        while (start > 0 && char.IsAsciiLetter(sb[start - 1]))
        {
            start--;
        }

        var stop = next;
        while (stop < content.Length && char.IsAsciiLetter(content[stop]))
        {
            stop++;
        }

        if (start == end || stop == next)
        {
            return false;
        }

        var joined = (sb.ToString(start, end - start) + content[next..stop]).ToUpperInvariant();
        return TitleWords.Contains(joined) || joined.StartsWith("REASON", StringComparison.Ordinal);
    }

    /// <summary>Where the name part ends: "for reasons", "Reason", "per", "under", "E.O.", a digit, a semicolon, a sentence end.</summary>
    private static int Terminator(string text)
    {
        var cut = text.AsSpan().IndexOfAny(TerminatorWords);
        cut = cut < 0 ? text.Length : cut;

        // The reasons' digits ("… Jeff Hovenier for \n1.4"); a 0 may stand for O in a name (LEE 0. COLDREN).
        for (var i = 0; i < cut; i++)
        {
            if (text[i] is >= '1' and <= '9')
            {
                cut = i;
                break;
            }
        }

        // "AMBASSADOR TOM MCDONALD. CONFIDENTIAL": a full stop after a word (not an initial) followed by two spaces.
        for (var i = 3; i + 2 < cut; i++)
        {
            if (text[i] == '.' && text[i + 1] == ' ' && text[i + 2] == ' ' && char.IsAsciiLetter(text[i - 1]) &&
                char.IsAsciiLetter(text[i - 2]) && char.IsAsciiLetter(text[i - 3]) && !IsSuffix(LastWord(text, i)))
            {
                cut = i;
                break;
            }
        }

        return cut;
    }

    private static string LastWord(string text, int end)
    {
        var start = end;
        while (start > 0 && text[start - 1] != ' ')
        {
            start--;
        }

        return text[start..end];
    }

    /// <summary>All names of two or more words in the segment, and a one-word name (<c>RCROCKER</c>) to fall back on.</summary>
    private static (List<string> Many, string? Single) Names(string segment)
    {
        var cleaned = RemoveNoise(segment);
        var parts = SplitParts(cleaned, out var andBefore);
        var many = new List<string>();
        string? single = null;
        for (var p = 0; p < parts.Count; p++)
        {
            var tokens = NameRun(parts[p]);
            if (tokens.Count == 0)
            {
                continue;
            }

            var name = string.Join(' ', tokens);
            if (p + 1 < parts.Count && IsSuffix(parts[p + 1].Trim()))
            {
                var suffix = parts[p + 1].Trim().TrimEnd('.');
                name += ", " + (suffix.Equals("JR", StringComparison.OrdinalIgnoreCase) || suffix.Equals("SR", StringComparison.OrdinalIgnoreCase) ? suffix + "." : suffix);
                p++;
            }

            if (tokens.Count >= 2)
            {
                // After the first name only an AND brings another ("KARL WYCOFF, ACTING AND S/CT DAS SHARI VILLAROSA").
                if (many.Count > 0 && !andBefore[p])
                {
                    continue;
                }

                if (!many.Contains(name))
                {
                    many.Add(name);
                }
            }
            else
            {
                single = name;
            }
        }

        return (many, single);
    }

    /// <summary>Classification markings, "a.i." and similar that sit between titles and names.</summary>
    private static string RemoveNoise(string segment)
    {
        var s = segment;
        // Most segments hold none of the noise: one vectorised look before thirteen ignore-case Replace passes.
        if (s.AsSpan().ContainsAny(NoiseWords))
        {
            foreach (var noise in (ReadOnlySpan<string>)["(C)", "(U)", "(S)", "(SBU)", "(AI)", "(CDA)", "a.i.,", "a.i.", "a. i.", "a.y.", " ai. ", "1.", "This message"])
            {
                s = s.Replace(noise, " ", StringComparison.OrdinalIgnoreCase);
            }
        }

        return s.Replace('/', ' ').Replace('?', ' ').Replace(" - ", " , ", StringComparison.Ordinal);
    }

    private static List<string> SplitParts(string s, out List<bool> andBefore)
    {
        var parts = new List<string>();
        andBefore = [false];
        var start = 0;
        for (var i = 0; i <= s.Length; i++)
        {
            var boundary = i == s.Length || s[i] is ',' or ':' ||
                           (i + 5 <= s.Length && s[i] == ' ' && string.Compare(s, i, " and ", 0, 5, StringComparison.OrdinalIgnoreCase) == 0);
            if (!boundary)
            {
                continue;
            }

            parts.Add(s[start..i]);
            andBefore.Add(i < s.Length && s[i] == ' ');
            start = i < s.Length && s[i] == ' ' ? i + 4 : i + 1;
            if (i < s.Length && s[i] == ' ')
            {
                i += 3;
            }
        }

        return parts;
    }

    /// <summary>The name at the end of a part: trailing words that are neither titles nor noise, at most three plus a suffix.</summary>
    private static List<string> NameRun(string part)
    {
        var words = part.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();

        // Trailing filler: "… WITHERS II FR", "… Hovenier for", "… DICARLO."
        while (words.Count > 0 && (TitleWords.Contains(Key(words[^1])) && !IsSuffix(words[^1]) || words[^1] is "-" or "."))
        {
            words.RemoveAt(words.Count - 1);
        }

        var run = new List<string>();
        var suffix = false;
        for (var i = words.Count - 1; i >= 0; i--)
        {
            var w = words[i];
            if (run.Count == 0 && IsSuffix(w))
            {
                suffix = true;
                run.Insert(0, w);
                continue;
            }

            if (TitleWords.Contains(Key(w)) || !LooksLikeName(w) || run.Count - (suffix ? 1 : 0) >= 3)
            {
                break;
            }

            run.Insert(0, w);
        }

        // A bare letter or an abbreviation in capitals cannot start a mixed-case name ("C Stanley A. Harsha", "ECMIN William Meara").
        while (run.Count > 1 && (run[0].Length == 1 || run.Count == 3 && IsAllCaps(run[0]) && !IsAllCaps(run[^1]) && run[0].Length <= 5 && !run[0].EndsWith('.')))
        {
            run.RemoveAt(0);
        }

        if (run.Count > 0)
        {
            run[^1] = run[^1].TrimEnd(',', '-');
            if (run[^1].EndsWith('.') && !IsSuffix(run[^1]) && !IsInitial(run[^1]))
            {
                run[^1] = run[^1].TrimEnd('.');
            }
        }

        return run.Count == 1 && IsSuffix(run[0]) ? [] : run;
    }

    private static string Key(string word) => word.Trim(',', ':', ';', '(', ')').ToUpperInvariant().Replace('0', 'O');

    private static bool IsAllCaps(string w) => w.Any(char.IsLetter) && !w.Any(char.IsLower);

    private static bool IsInitial(string w) => w.Length >= 2 && w.All(c => char.IsLetter(c) || c == '.') && w.EndsWith('.') && w.Count(char.IsLetter) <= 2 && w.Replace(".", "", StringComparison.Ordinal).Length <= 2;

    private static bool IsSuffix(string w) => w.Trim(',', ' ').ToUpperInvariant() is "JR." or "JR" or "SR." or "SR" or "II" or "III" or "IV" or "III.";

    private static bool LooksLikeName(string w)
    {
        if (w.Length == 0 || !char.IsLetter(w[0]) && w[0] != '0')
        {
            return false;
        }

        foreach (var c in w)
        {
            if (!(char.IsLetter(c) || c is '.' or '\'' or '-' or '0' or ','))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Title case for names written in capitals; 0 read as O; a few recurring misspellings repaired.</summary>
    private static string Normalize(string name)
    {
        var words = name.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            var w = words[i];
            var bare = w.TrimEnd(',', '.');
            if (bare.Length > 0 && bare.All(c => char.IsLetter(c) || c == '0') && (bare.Any(char.IsLetter) || bare == "0"))
            {
                w = w.Replace('0', 'O');
            }

            if (FirstNameFixes.TryGetValue(w.ToUpperInvariant(), out var fixedName))
            {
                w = fixedName;
            }

            if (IsAllCaps(w) && !(IsSuffix(w) && w.TrimEnd('.').Length > 2))
            {
                w = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(w.ToLowerInvariant());
            }

            words[i] = w;
        }

        return string.Join(' ', words);
    }

    /// <summary>E.O. 12958 reasons after the name: "1.4 (b) and (d)" → 1.4(b), 1.4(d).</summary>
    private static List<string> Reasons(string content, int from)
    {
        var limit = Math.Min(content.Length, from + 160);
        var reasons = new List<string>();
        for (var i = from; i + 2 < limit; i++)
        {
            if (content[i] != '1' || content[i + 1] is not ('.' or ',') || (i > 0 && char.IsAsciiDigit(content[i - 1])))
            {
                continue;
            }

            var k = i + 2;
            while (k < limit && content[k] is ' ' or '\n')
            {
                k++;
            }

            if (k >= limit || content[k] is not ('2' or '4' or '5' or '6'))
            {
                continue;
            }

            var section = "1." + content[k];
            for (var j = k + 1; j < limit; j++)
            {
                var c = content[j];
                if (c == '\n' && j + 1 < limit && content[j + 1] == '\n')
                {
                    break;
                }

                if (char.IsAsciiLetter(c) && (j + 1 >= limit || !char.IsAsciiLetter(content[j + 1])) && !char.IsAsciiLetter(content[j - 1]) &&
                    char.ToLowerInvariant(c) is >= 'a' and <= 'h')
                {
                    var reason = $"{section}({char.ToLowerInvariant(c)})";
                    if (!reasons.Contains(reason))
                    {
                        reasons.Add(reason);
                    }
                }
                else if (char.IsAsciiLetter(c) && j + 2 < limit && char.IsAsciiLetter(content[j + 1]) && char.IsAsciiLetter(content[j + 2]) &&
                         !(char.ToLowerInvariant(c) == 'a' && char.ToLowerInvariant(content[j + 1]) == 'n' && char.ToLowerInvariant(content[j + 2]) == 'd'))
                {
                    break;
                }
            }

            break;
        }

        return reasons;
    }

    private static readonly FrozenDictionary<string, string> FirstNameFixes = new Dictionary<string, string>
    {
        ["RICAHRD"] = "RICHARD",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Titles, offices and their common misspellings seen before names (compared upper case, 0 read as O).</summary>
    private static readonly FrozenSet<string> TitleWords = FrozenSet.ToFrozenSet(
    [
        "AMBASSADOR", "AMBASSAOR", "AMBASSADO", "AMBASSADOT", "AMBASSADR", "AMBASSADRO", "AMBSSADOR", "AMBBASSADOR", "AMBASSSADOR",
        "AMBASASDOR", "ABASSADOR", "AMABASSADOR", "AMBASSODOR", "AMBASSADIOR", "AMBASSADOR-AT-LARGE", "AMB", "AMB.", "AMBASSADOR.",
        "CHARGE", "CHARGE'", "D'AFFAIRES", "D'AFFAIRS", "D'AFAIRS", "D'AFFARIES", "D'", "AFFAIRES", "AFFAIRS", "AFFAIRE", "AFFAIRS.",
        "DE", "DE'AFFAIRS", "D,AFFAIRES", "A.I.", "AI.", "AI", "A.I", "COUNSELOR", "COUNSELOR.", "COUNSELR", "COUNSEOR", "COUNSLEOR",
        "COUNSELOUR", "COUNSELLOR", "COUNSEL", "COUNS", "COUNS.", "COUNCILOR", "COUSELOR", "COUN", "COUNSELLOR.", "MIN", "MINISTER",
        "MINISTER-COUNSELOR", "MINISTER-COUNSELOUR", "MINISTER-COUNSELLOR", "MINISTER-COUSELOR", "MCOUNSELOR", "M-C", "MC", 
        "POLITICAL", "POL", "POLOFF", "POLMINCONS", "POL-MIL", "POLMIL", "MIL", "ECON", "ECONOFF", "ECONOFF.", "ECONCOUNS", "ECONOMIC",
        "ECONOMICAL", "ECOPOL", "ECPO", "ECMIN", "EMIN", "DEPUTY", "CHIEF", "CIEF", "OF", "MISSION", "MISSION.", "DCM", "CDA",
        "ACTING", "PRINCIPAL", "OFFICER", "OFFICE", "OFF", "CONSUL", "GENERAL", "CONGEN", "DPO", "DIRECTOR", "DIRECOTR", "DIR", "DIR.",
        "ASSISTANT", "SECRETARY", "DAS", "PDAS", "UNDER", "SPECIAL", "ENVOY", "REPRESENTATIVE", "REPRESENATIVE",
        "PERMANENT", "ADVISOR", "ADVISER", "LEGAL", "LABOR", "ATTACHE", "DEFENSE", "LTC", "COL", "LTCOL", "COM", "AIT", "USEU", "USUN",
        "USDEL", "MEMBER", "IO", "ISN", "MTR", "NEA", "AF", "SCA", "EUR", "PRA", "PRM", "AFR", "RSO", "ARSO", "TDY", "IPO", "CONOFF",
        "LEGATT", "SECTION", "HEAD", "TEAM", "LEADER", "UNIT", "INSTITUTIONAL", "PROVINCIAL", "COORDINATOR", "INTERAGENCY", "GOVERNANCE",
        "PRT", "KIRKUK", "SUB-NATIONAL", "AND", "FOR", "FR", "F", "PER", "TO", "THE", "STATE", "U.S.", "US", "DELEGATE", "ARMS", "CONTROL",
        "DELEGATION", "CHAIRMAN", "EST&H", "DOS", "CLASSIFICATION", "GUIDE", "BY", "AT", "LARGE", "SUDAN", "CENTRAL", "ASIA",
        "DIPLOMATIC", "SECURITY", "AFGHANISTAN", "PAKISTAN", "AFFIARS", "POLITICAL-MILITARY", "ISTANBUL", "CT", "DEPARTMENT", "DEPT",
        "EMBASSY", "VCI", "INR", "CCS", "CONSULATE", "OFFICER.", "SECRETARY.", "ECONOMIC", "ENERGY", "ENVIRONMENT", "SCIENCE", "PUBLIC",
        "MANAGEMENT", "MGMT", "CONSULAR", "COMMERCIAL", "AGRICULTURAL", "REGIONAL", "DEPUTY.", "PAS", "PAO", "DATT", "INL", "USAID",
        "EXECUTIVE", "SENIOR", "ADVISOR.", "CHARGE.", "DCM.", "CDA.", "ACTING.", "LINE", "ADDED", "MESSAGE", "REASONS", "REASON",
    ], StringComparer.Ordinal);
}
