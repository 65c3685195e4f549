using System.Collections.Frozen;
using System.Text;

namespace Cables.Parsing.Origins;

/// <summary>
/// The origin post as the archives label it ("Embassy Brussels", "Secretary of State", "Mission USNATO"), from the
/// FM line's plain language address (PLAD) or, when the header is lost, from the banner's city.
/// A rule (office prefix + title-cased city) with an explicit table of the posts the archives label otherwise.
/// </summary>
public static class OriginPosts
{
    /// <summary>Office prefixes of a PLAD and the archive's word for them.</summary>
    private static readonly (string Prefix, string Label)[] s_offices =
    [
        ("AMEMBASSY ", "Embassy "),
        ("AMCONSUL ", "Consulate "),
        ("USMISSION ", "US Mission "),
        ("USINT ", "US Interests Section "),
        ("USOFFICE ", "US Office "),
        ("AIT ", "American Institute Taiwan, "),
        ("IRAN RPO ", "Iran RPO "),
        ("RPO ", "Iran RPO "),
    ];

    private static readonly string[] s_idDroppedOffices = ["AMEMBASSY ", "AMCONSUL ", "USMISSION ", "USINT ", "USOFFICE "];

    /// <summary>Whole PLADs the archives label other than the rule would (missions, renamed or moved posts).</summary>
    private static readonly FrozenDictionary<string, string> s_pladExceptions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["SECSTATE WASHDC"] = "Secretary of State",
        ["USMISSION USNATO"] = "Mission USNATO",
        ["USMISSION USUN NEW YORK"] = "USUN New York",
        ["USMISSION UNVIE VIENNA"] = "UNVIE",
        ["USEU BRUSSELS"] = "USEU Brussels",
        // Posts labelled by what they became: Zagreb's consulate became the embassy in 1992, Leningrad is
        // St Petersburg, the Lagos embassy became a consulate when the capital moved to Abuja, the Berlin office the embassy.
        ["AMCONSUL ZAGREB"] = "Embassy Zagreb",
        ["AMCONSUL LENINGRAD"] = "Consulate St Petersburg",
        ["AMEMBASSY LAGOS"] = "Consulate Lagos",
        ["USOFFICE BERLIN"] = "Embassy Berlin",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Banner "cities" (the reference id's originator) that are not an embassy's city.</summary>
    private static readonly FrozenDictionary<string, string> s_bannerExceptions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["STATE"] = "Secretary of State",
        ["SECSTATE"] = "Secretary of State",
        ["USNATO"] = "Mission USNATO",
        ["USUN NEW YORK"] = "USUN New York",
        ["UNVIE VIENNA"] = "UNVIE",
        ["UNVIE"] = "UNVIE",
        ["USEU BRUSSELS"] = "USEU Brussels",
        ["RPO DUBAI"] = "Iran RPO Dubai",
        ["IRAN RPO DUBAI"] = "Iran RPO Dubai",
        ["TAIPEI"] = "American Institute Taiwan, Taipei",
        ["HAVANA"] = "US Interests Section Havana",
        ["GENEVA"] = "US Mission Geneva",
        ["LENINGRAD"] = "Consulate St Petersburg",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Cities where the US post is a consulate (general), so a banner city alone says "Consulate".</summary>
    private static readonly FrozenSet<string> s_consulateCities = FrozenSet.Create(StringComparer.Ordinal,
    [
        "ADANA", "ALEXANDRIA", "BARCELONA", "BASRAH", "BELFAST", "CALGARY", "CASABLANCA", "CHENGDU", "CHENNAI",
        "CHIANG MAI", "CIUDAD JUAREZ", "CURACAO", "DHAHRAN", "DUBAI", "DURBAN", "DUSSELDORF", "ERBIL", "FLORENCE",
        "FRANKFURT", "FUKUOKA", "GUADALAJARA", "GUANGZHOU", "GUAYAQUIL", "HALIFAX", "HAMBURG", "HERMOSILLO",
        "HO CHI MINH CITY", "HONG KONG", "ISTANBUL", "IZMIR", "JEDDAH", "JERUSALEM", "JOHANNESBURG", "CAPE TOWN",
        "KADUNA", "KARACHI", "KIRKUK", "KOLKATA", "CALCUTTA", "LAGOS", "LAHORE", "LEIPZIG", "LYON", "MARSEILLE",
        "MATAMOROS", "MELBOURNE", "MERIDA", "MILAN", "MONTERREY", "MONTREAL", "MOSUL", "MUMBAI", "BOMBAY", "MUNICH",
        "NAHA", "NAPLES", "NOGALES", "NUEVO LAREDO", "OSAKA KOBE", "PERTH", "PESHAWAR", "PONTA DELGADA", "QUEBEC",
        "RECIFE", "RIO DE JANEIRO", "SAO PAULO", "SAPPORO", "SHANGHAI", "SHENYANG", "ST PETERSBURG", "STRASBOURG",
        "SYDNEY", "TIJUANA", "TORONTO", "VANCOUVER", "VLADIVOSTOK", "WINNIPEG", "YEKATERINBURG", "HYDERABAD",
        "AUCKLAND", "KRAKOW", "THESSALONIKI", "EDINBURGH", "AMSTERDAM", "BORDEAUX", "RENNES", "TOULOUSE", "NAGOYA",
    ]);

    /// <summary>Label for an FM line's PLAD (<c>AMEMBASSY ADDIS ABABA</c> → <c>Embassy Addis Ababa</c>), or null when it is no post.</summary>
    public static string? FromPlad(string? plad)
    {
        var key = Collapse(plad);
        if (key is null)
        {
            return null;
        }

        return s_pladExceptions.TryGetValue(key, out var label) ? label : ByOffice(key, byLabel: false);
    }

    /// <summary>Label for a banner's originator (<c>BRUSSELS</c>, <c>HO CHI MINH CITY</c>, <c>STATE</c>) when the FM line is missing.</summary>
    public static string? FromBannerCity(string? city)
    {
        var key = Collapse(city);
        if (key is null)
        {
            return null;
        }

        if (s_bannerExceptions.TryGetValue(key, out var label))
        {
            return label;
        }

        return (s_consulateCities.Contains(key) ? "Consulate " : "Embassy ") + TitleCase(key);
    }

    /// <summary>The originator as a reference id spells it, from a PLAD: <c>AMEMBASSY BUENOS AIRES</c> → <c>BUENOSAIRES</c>, <c>SECSTATE WASHDC</c> → <c>STATE</c>.</summary>
    public static string? IdCityFromPlad(string? plad)
    {
        var key = Collapse(plad);
        if (key is null)
        {
            return null;
        }

        if (key == "SECSTATE WASHDC")
        {
            return "STATE";
        }

        // Ids drop the office (AMEMBASSY, AMCONSUL, USMISSION…) but keep AIT and RPO: 09AITTAIPEI275, 09RPODUBAI349.
        foreach (var prefix in s_idDroppedOffices)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal) && key.Length > prefix.Length)
            {
                key = key[prefix.Length..];
                break;
            }
        }

        return key.StartsWith("IRAN RPO ", StringComparison.Ordinal) ? key[5..].Replace(" ", "", StringComparison.Ordinal) : key.Replace(" ", "", StringComparison.Ordinal);
    }

    /// <summary>
    /// A post's label as the archives spell it, from the same label in any case: <c>embassy ho chi minh city</c> →
    /// <c>Embassy Ho Chi Minh City</c>, <c>SECRETARY OF STATE</c> → <c>Secretary of State</c>. A label that follows
    /// neither an exception nor the office rule comes back as given.
    /// </summary>
    public static string ArchiveLabel(string label)
    {
        var trimmed = label.Trim();
        return s_labels.TryGetValue(trimmed, out var known) ? known : ByOffice(trimmed, byLabel: true) ?? trimmed;
    }

    /// <summary>
    /// The office rule: when <paramref name="text"/> opens with an office and goes on, the office's label and the rest in
    /// title case; otherwise null. An office opens it as an FM line's PLAD writes it or, <paramref name="byLabel"/>, as its
    /// label in any case.
    /// </summary>
    private static string? ByOffice(string text, bool byLabel)
    {
        var comparison = byLabel ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        foreach (var (prefix, office) in s_offices)
        {
            var lead = byLabel ? office : prefix;
            if (text.StartsWith(lead, comparison) && text.Length > lead.Length)
            {
                return office + TitleCase(text.AsSpan(lead.Length));
            }
        }

        return null;
    }

    /// <summary>The labels the exceptions give, by their spelling in any case.</summary>
    private static readonly FrozenDictionary<string, string> s_labels = s_pladExceptions.Values
        .Concat(s_bannerExceptions.Values)
        .Distinct(StringComparer.Ordinal)
        .ToFrozenDictionary(l => l, StringComparer.OrdinalIgnoreCase);

    /// <summary>"HO CHI MINH CITY" → "Ho Chi Minh City", as the archives write post names.</summary>
    internal static string TitleCase(ReadOnlySpan<char> words)
    {
        var result = new StringBuilder(words.Length);
        var startOfWord = true;
        foreach (var c in words)
        {
            result.Append(startOfWord ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
            startOfWord = c is ' ' or '-';
        }

        return result.ToString();
    }

    /// <summary>Upper case, single spaces, trimmed; null for nothing or for something that is not a post name.</summary>
    private static string? Collapse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var result = new StringBuilder(text.Length);
        foreach (var c in text.AsSpan().Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                if (result.Length > 0 && result[^1] != ' ')
                {
                    result.Append(' ');
                }
            }
            else if (char.IsLower(c))
            {
                // A PLAD is upper case; "FM Lavrov said…" in a body is the foreign minister.
                return null;
            }
            else
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }
}
