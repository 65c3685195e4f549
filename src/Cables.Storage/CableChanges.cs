using Cables.Parsing.Model;

namespace Cables.Storage;

/// <summary>What happened to a cable, as its change log records it. The values are those of the <c>kind</c> column.</summary>
public enum ChangeKind
{
    Created = 1,
    Revised = 2,
}

/// <summary>
/// A place in the change log: every change at or before it has been seen. Changes are ordered by the commit number of
/// their writing transaction (commit order), then by their number in the log; <c>(commit, 0)</c> stands before every
/// change of that commit, so a watcher that read everything below a horizon stands at <see cref="AtHorizon"/>.
/// </summary>
public readonly record struct ChangePosition(long Commit, long Seq) : IComparable<ChangePosition>
{
    /// <summary>Before every change ever logged.</summary>
    public static ChangePosition Start => default;

    /// <summary>After every change of the commits below <paramref name="horizon"/>.</summary>
    public static ChangePosition AtHorizon(long horizon) => new(horizon, 0);

    public int CompareTo(ChangePosition other) => Commit != other.Commit ? Commit.CompareTo(other.Commit) : Seq.CompareTo(other.Seq);

    public static bool operator <(ChangePosition left, ChangePosition right) => left.CompareTo(right) < 0;

    public static bool operator >(ChangePosition left, ChangePosition right) => left.CompareTo(right) > 0;

    public static bool operator <=(ChangePosition left, ChangePosition right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ChangePosition left, ChangePosition right) => left.CompareTo(right) >= 0;

    /// <summary>The later of two positions.</summary>
    public static ChangePosition Max(ChangePosition a, ChangePosition b) => a >= b ? a : b;
}

/// <summary>The fields of a cable that watch filters match on; <see cref="Created"/> is <see cref="DateTime.MinValue"/> when undated.</summary>
public sealed record FilterFields(
    DateTime Created,
    string? Origin,
    ClassificationLevel Classification,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> Caveats);

/// <summary>One logged change, with the cable's filter fields as the change wrote them.</summary>
public sealed record CableChange(ChangePosition Position, ChangeKind Kind, string ReferenceId, FilterFields Fields);

/// <summary>
/// A logged change with its cable as it is now (a later revision shows its newest content), encoded in the BASIC view,
/// and the cable's filter fields now.
/// </summary>
public sealed record ChangedCable(CableChange Change, EncodedCable Cable, FilterFields Fields)
{
    public ChangePosition Position => Change.Position;
}

/// <summary>A position older than what the change log still holds: the changes after it were pruned.</summary>
public sealed class ChangePositionExpiredException(ChangePosition position, ChangePosition pruned)
    : Exception($"Position {position.Commit}/{position.Seq} is older than the change log's retention (pruned up to {pruned.Commit}/{pruned.Seq}).")
{
    public ChangePosition Position { get; } = position;

    public ChangePosition Pruned { get; } = pruned;
}
