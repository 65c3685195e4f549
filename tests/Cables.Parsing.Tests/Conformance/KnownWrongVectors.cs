namespace Cables.Parsing.Tests.Conformance;

/// <summary>
/// Vectors we believe are wrong, with the reason. They still count as failures in the percentages unless
/// <see cref="Excluded"/> marks them as contradicting another vector or the cable text itself.
/// </summary>
public static class KnownWrongVectors
{
    public static readonly IReadOnlyDictionary<int, string> Reasons = new Dictionary<int, string>
    {
    };

    /// <summary>Vectors left out of the percentages because they contradict another vector or their own input.</summary>
    public static readonly IReadOnlySet<int> Excluded = new HashSet<int>
    {
    };
}
