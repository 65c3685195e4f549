using Cables.Parsing.Model;

namespace CableService.Security;

/// <summary>The names a clearance claim may carry, in any case: <c>secret</c>, <c>top_secret</c>, <c>TS</c>, <c>top-secret</c>…</summary>
public static class Clearance
{
    /// <summary>The level a clearance claim names; false for a name that is none (the caller is then treated as uncleared).</summary>
    public static bool TryParse(string? value, out ClassificationLevel level)
    {
        var name = (value ?? "").Trim().ToUpperInvariant().Replace('-', '_').Replace(' ', '_');
        level = name switch
        {
            "U" or "UNCLASSIFIED" or "UNCLAS" => ClassificationLevel.Unclassified,
            "FOUO" or "SBU" or "UNCLASSIFIED_FOUO" or "UNCLASSIFIED_FOR_OFFICIAL_USE_ONLY" => ClassificationLevel.UnclassifiedForOfficialUseOnly,
            "C" or "CONFIDENTIAL" => ClassificationLevel.Confidential,
            "S" or "SECRET" => ClassificationLevel.Secret,
            "TS" or "TOP_SECRET" or "TOPSECRET" => ClassificationLevel.TopSecret,
            _ => ClassificationLevel.Unknown,
        };
        return level != ClassificationLevel.Unknown;
    }

    /// <summary>The claim value for a level, as <c>cablectl dev-token</c> writes it.</summary>
    public static string Name(ClassificationLevel level) => level switch
    {
        ClassificationLevel.Unclassified => "unclassified",
        ClassificationLevel.UnclassifiedForOfficialUseOnly => "fouo",
        ClassificationLevel.Confidential => "confidential",
        ClassificationLevel.Secret => "secret",
        ClassificationLevel.TopSecret => "top_secret",
        _ => "unknown",
    };
}
