namespace Cables.Parsing.Model;

/// <summary>Ordered so that a ceiling is one comparison.</summary>
public enum ClassificationLevel
{
    Unknown = 0,
    Unclassified = 1,
    UnclassifiedForOfficialUseOnly = 2,
    Confidential = 3,
    Secret = 4,
    TopSecret = 5,
}

public sealed record ClassificationInfo
{
    public static readonly ClassificationInfo Unknown = new();

    public ClassificationLevel Level { get; init; }

    /// <summary>Caveats in the order seen: NOFORN, SIPDIS, EXDIS, NODIS, …</summary>
    public IReadOnlyList<string> Caveats { get; init; } = [];

    /// <summary>Archive label: <c>SECRET//NOFORN</c>, <c>UNCLASSIFIED//FOR OFFICIAL USE ONLY</c>, <c>CONFIDENTIAL</c>.</summary>
    public string? Label { get; init; }
}
