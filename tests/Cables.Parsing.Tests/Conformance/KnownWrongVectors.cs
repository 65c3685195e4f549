namespace Cables.Parsing.Tests.Conformance;

/// <summary>
/// Vectors we believe are wrong, with the reason. They count as failures in the percentages unless they are also in
/// <see cref="Excluded"/>: a vector that contradicts another vector or the text of its own input.
/// </summary>
public static class KnownWrongVectors
{
    public static readonly IReadOnlyDictionary<int, string> Reasons = new Dictionary<int, string>
    {
        [624] = "expects TAIPEI in REF ids, but c14n vector #54 canonicalises TAIPEI to AITTAIPEI; we follow #54",
        [630] = "expects 00ADDIS1556, but cablemap's own station table maps ADDIS to ADDISABABA (no vector says otherwise); we canonicalise",
        [632] = "input cites 'Paris 7472', expected says 05PARIS7572: a typo in the expectation",
        [634] = "input's B item is '2962 AND PREVIOUS', expected repeats A's 06MANILA2969; we do not invent it",
        [643] = "input cites 'PANAMA 00789/08', expected says 08PANAMA798: a typo in the expectation",
        [653] = "expects 03ANKARA6307 for a bare '6307', but the vector gives no cable id to take the station from, and B's bullet null contradicts the B) label",
    };

    /// <summary>Left out of the percentages: these contradict another vector (#54) or their own input text.</summary>
    public static readonly IReadOnlySet<int> Excluded = new HashSet<int> { 624, 632, 634, 643 };
}
