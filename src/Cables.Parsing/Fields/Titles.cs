using System.Collections.Frozen;
using System.Text;

namespace Cables.Parsing.Fields;

/// <summary>
/// Title case for subjects written in capitals: small words lower case (except first and after a colon or dash),
/// acronyms kept (<c>MTCR</c>, <c>US-EU</c>, <c>VARIG's</c>), ordinals lower-cased (<c>63rd</c>), mixed-case words left alone.
/// </summary>
internal static class Titles
{
    public static string Titlefy(string subject)
    {
        if (string.IsNullOrWhiteSpace(subject))
        {
            return "";
        }

        // Words are visited as spans and titled one at a time: nothing but the result outlives a word, so the cost stays
        // linear however long the subject.
        var text = subject.AsSpan().Trim();
        var sb = new StringBuilder(text.Length);
        var capitalizeNext = true;
        var first = true;
        foreach (var range in text.Split(' '))
        {
            if (!first)
            {
                sb.Append(' ');
            }

            first = false;
            var word = text[range];
            if (word.IsEmpty)
            {
                continue;
            }

            AppendTitleWord(sb, word, capitalizeNext);
            capitalizeNext = word[^1] is ':' or '?' or '!' or ';' || word.SequenceEqual("-") || word.EndsWith("--", StringComparison.Ordinal);
        }

        return sb.ToString();
    }

    private static void AppendTitleWord(StringBuilder sb, ReadOnlySpan<char> word, bool first)
    {
        // Leading punctuation ("(AILMENTS", "\"LORDS") and trailing punctuation ("(MTCR):") around the core word.
        var start = 0;
        while (start < word.Length && !char.IsLetterOrDigit(word[start]))
        {
            start++;
        }

        var end = word.Length;
        while (end > start && !char.IsLetterOrDigit(word[end - 1]))
        {
            end--;
        }

        var core = word[start..end];
        if (core.IsEmpty || (HasUpper(core) && HasLower(core)))
        {
            sb.Append(word);
            return;
        }

        sb.Append(word[..start]).Append(Compound(core.ToString(), first)).Append(word[end..]);
    }

    private static bool HasUpper(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (char.IsUpper(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasLower(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (char.IsLower(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Hyphen and slash compounds title each part: SOCIO-ECONOMIC → Socio-Economic, TFTP/SWIFT stays.</summary>
    private static string Compound(string core, bool first)
    {
        if (core.Contains('-', StringComparison.Ordinal) || core.Contains('/', StringComparison.Ordinal))
        {
            var sb = new StringBuilder(core.Length);
            var partStart = 0;
            for (var i = 0; i <= core.Length; i++)
            {
                if (i < core.Length && core[i] is not ('-' or '/'))
                {
                    continue;
                }

                sb.Append(Simple(core[partStart..i], first || partStart > 0, compoundPart: true));
                if (i < core.Length)
                {
                    sb.Append(core[i]);
                }

                partStart = i + 1;
            }

            return sb.ToString();
        }

        return Simple(core, first, compoundPart: false);
    }

    private static string Simple(string w, bool first, bool compoundPart)
    {
        if (w.Length == 0)
        {
            return w;
        }

        var hasUpper = w.Any(char.IsUpper);
        var hasLower = w.Any(char.IsLower);
        if (hasUpper && hasLower)
        {
            return w;
        }

        var upper = w.ToUpperInvariant();

        // Apostrophes: VARIG'S → VARIG's, PNG'ING → PNG'ing, D'IVOIRE → D'Ivoire, DON'T → Don't.
        var apostrophe = upper.IndexOfAny(['\'', '’']);
        if (apostrophe > 0)
        {
            var head = upper[..apostrophe];
            var tail = upper[(apostrophe + 1)..];
            var headTitled = IsAcronym(head) ? head : Capitalize(head);
            var tailTitled = head.Length == 1 ? Capitalize(tail) : tail.ToLowerInvariant();
            return headTitled + upper[apostrophe] + tailTitled;
        }

        if (char.IsAsciiDigit(upper[0]))
        {
            return upper.ToLowerInvariant();
        }

        if (upper.All(c => c == 'X') && upper.Length >= 2)
        {
            return upper;
        }

        if (IsAcronym(upper) && !(first && SmallWords.Contains(upper)))
        {
            return upper;
        }

        if (!first && !compoundPart && SmallWords.Contains(upper))
        {
            return upper.ToLowerInvariant();
        }

        return Capitalize(upper);
    }

    private static string Capitalize(string upper) => upper.Length == 0 ? upper : upper[0] + upper[1..].ToLowerInvariant();

    /// <summary>Known acronyms, and words without vowels (MTCR, GPC, HMG, TFTP).</summary>
    private static bool IsAcronym(string upper)
    {
        if (Acronyms.Contains(upper))
        {
            return true;
        }

        return upper.Length >= 2 && upper.All(char.IsAsciiLetterUpper) && !upper.Any(c => c is 'A' or 'E' or 'I' or 'O' or 'U' or 'Y');
    }

    private static readonly FrozenSet<string> SmallWords = FrozenSet.ToFrozenSet(
        ["A", "AN", "AND", "AS", "AT", "BUT", "BY", "FOR", "IN", "NOR", "OF", "ON", "OR", "THE", "TO", "VS", "VIA"], StringComparer.Ordinal);

    private static readonly FrozenSet<string> Acronyms = FrozenSet.ToFrozenSet(
    [
        "US", "U.S", "U.S.", "II", "III", "IV", "EU", "UK", "UN", "UNSC", "UNGA", "UNSCR", "UNESCO", "UNHCR", "UNHRC", "SWIFT", "GOL", "SLA", "U", "JEM", "DROC",
        "PNG", "MONUC", "VARIG", "ROK", "GAERC", "NSC", "AIT", "USG", "GOI", "GOB", "GOE", "GOJ", "GOK", "GOM", "GON", "GOP", "GOR", "GOS",
        "GOU", "GOV", "GOZ", "NATO", "IAEA", "OSCE", "WTO", "ASEAN", "AU", "OAS", "OPEC", "ICC", "FARC", "ELN", "HIV", "AIDS",
        "FTA", "FTAA", "IMF", "IPR", "EXBS", "ISAF", "KFOR", "UNMIK", "SCO", "CIS", "OECD", "ICRC", "NGO", "NGOS", "USAID", "DAS",
        "CODEL", "STAFFDEL", "DHS", "DOD", "FBI", "CIA", "IRGC", "MFA", "MOD", "MOI", "VP", "FM", "DPM", "GCC", "AKP", "CHP", "MHP",
        "PKK", "PRC", "DPRK", "ROC", "PA", "PLO", "ANC", "MDC", "ZANU", "PF", "TIP", "SADC", "ECOWAS", "HRC", "EFCC", "LNG", "ESDP",
        "CFSP", "EUPOL", "EULEX", "ICTY", "DDR", "UAE", "OAU", "IDF", "IDP", "IDPS", "UNDP", "UNICEF", "WFP", "ILO", "IOM",
        "UNAMA", "UNAMI", "MINUSTAH", "UNIFIL", "AMISOM", "NAM", "NPT", "CTBT", "WMD", "IED", "IEDS", "AQ", "AQI", "AQIM", "AQAP",
        "GOA", "OIC", "DRC", "USTR", "EXIM", "OPIC", "MCC", "PEPFAR", "USUN", "USEU", "USNATO", "UNODC", "OIF", "OEF", "SPD", "CDU",
        "CSU", "FDP", "PSOE", "PP", "PT", "PRI", "PAN", "PRD", "ETA", "IRA", "PSI", "G8", "G20", "EC", "ECB", "EIB",
    ], StringComparer.Ordinal);
}
