using Cables.Parsing.Model;

namespace Cables.Storage;

/// <summary>
/// What one caller may see: cables at or under <see cref="MaxLevel"/> that carry none of the <see cref="HiddenControls"/>
/// (the restricting dissemination controls the caller does not hold). Every read of the store takes one, and turns
/// it into one SQL predicate (<see cref="Internal.VisibilitySql"/>), so no count, page, stream or lookup can yield or
/// count a cable the caller may not see.
/// </summary>
/// <remarks>
/// A cable whose level could not be read (<see cref="ClassificationLevel.Unknown"/>) is visible only to a caller
/// cleared for <see cref="ClassificationLevel.TopSecret"/>: an unread banner may hide any level.
/// </remarks>
public sealed class CableVisibility
{
    private CableVisibility(ClassificationLevel maxLevel, string[] hiddenControls)
    {
        MaxLevel = maxLevel;
        HiddenControls = hiddenControls;
    }

    /// <summary>Sees every cable: the open (unauthenticated loopback) mode, and the service's own work.</summary>
    public static CableVisibility Unrestricted { get; } = new(ClassificationLevel.TopSecret, []);

    /// <summary>The highest level this caller may see.</summary>
    public ClassificationLevel MaxLevel { get; }

    /// <summary>Restricting controls (upper case, sorted) the caller does not hold: a cable carrying any of them is hidden.</summary>
    public IReadOnlyList<string> HiddenControls { get; }

    /// <summary>True when nothing is hidden: the predicate is omitted.</summary>
    public bool IsUnrestricted => MaxLevel >= ClassificationLevel.TopSecret && HiddenControls.Count == 0;

    /// <summary>
    /// The visibility of a caller cleared to <paramref name="clearance"/> who holds <paramref name="heldControls"/>,
    /// where <paramref name="restrictingControls"/> are the controls that restrict (others, such as SIPDIS, never hide a
    /// cable). Controls compare in upper case; <c>NF</c> is <c>NOFORN</c>, as the parser stores it.
    /// </summary>
    public static CableVisibility For(ClassificationLevel clearance, IEnumerable<string> heldControls, IEnumerable<string> restrictingControls)
    {
        var held = heldControls.Select(Normalize).ToHashSet(StringComparer.Ordinal);
        string[] hidden = [.. restrictingControls.Select(Normalize).Where(c => c.Length > 0 && !held.Contains(c)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        var level = clearance < ClassificationLevel.Unclassified ? ClassificationLevel.Unclassified : clearance;
        return new CableVisibility(level, hidden);
    }

    /// <summary>Whether a cable of <paramref name="level"/> carrying <paramref name="caveats"/> is visible: the rule the SQL predicate states.</summary>
    public bool Allows(ClassificationLevel level, IEnumerable<string> caveats)
    {
        if (MaxLevel < ClassificationLevel.TopSecret && (level < ClassificationLevel.Unclassified || level > MaxLevel))
        {
            return false;
        }

        return HiddenControls.Count == 0 || !caveats.Any(c => HiddenControls.Contains(Normalize(c), StringComparer.Ordinal));
    }

    public override string ToString() =>
        IsUnrestricted ? "unrestricted" : $"{MaxLevel}{(HiddenControls.Count == 0 ? "" : " without " + string.Join(",", HiddenControls))}";

    private static string Normalize(string control)
    {
        var upper = control.Trim().ToUpperInvariant();
        return upper == "NF" ? "NOFORN" : upper;
    }
}
