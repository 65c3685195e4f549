using Cables.Parsing.Model;
using Cables.Storage;

namespace CableService.Watching;

/// <summary>
/// Which changes a watcher receives: the filters of its request, matched in memory against the changes the feed read
/// (those its <see cref="WatcherIndex"/> offers), so one read of the log serves every watcher. <see cref="Matches"/> is
/// the one place that decides delivery.
/// </summary>
public sealed class WatchFilter(CableQuery query)
{
    private readonly HashSet<string>? _origins = query.Origins.Count == 0 ? null : new(query.Origins, StringComparer.Ordinal);

    public CableQuery Query { get; } = query;

    /// <summary>
    /// Whether this watcher receives <paramref name="change"/>: the cable both as the change wrote it and as it is now
    /// passes <see cref="MatchesFields"/> (a cable revised above the caller's clearance since is not sent), and it cites
    /// what the filter names.
    /// </summary>
    public bool Matches(FeedChange change) =>
        MatchesFields(change.Change.Fields) && MatchesFields(change.Fields) && (Query.Cites is null || Cites(change, Query.Cites));

    /// <summary>
    /// Whether a cable with <paramref name="cable"/> passes every filter but the citation: the same filters as
    /// StreamCables, with the same edge cases (an undated cable matches no date bound, an unknown classification no
    /// ceiling). What a caller may see, the caller's <see cref="CableQuery.Visibility"/>, is the first check, so nothing
    /// is delivered past it. The feed tests a change's logged fields with it before reading any cable.
    /// </summary>
    public bool MatchesFields(FilterFields cable)
    {
        if (!Query.Visibility.Allows(cable.Classification, cable.Caveats))
        {
            return false;
        }

        if (!HasAll(cable.Tags, Query.AllTags) || (Query.AnyTags.Count > 0 && !HasAny(cable.Tags, Query.AnyTags)))
        {
            return false;
        }

        if (_origins is not null && (cable.Origin is null || !_origins.Contains(cable.Origin)))
        {
            return false;
        }

        var created = cable.Created;
        if ((Query.CreatedFrom is { } from && (created == DateTime.MinValue || created < CableTimes.Utc(from)))
            || (Query.CreatedTo is { } to && (created == DateTime.MinValue || created >= CableTimes.Utc(to))))
        {
            return false;
        }

        return Query.MaxClassification is not { } ceiling
            || (cable.Classification >= ClassificationLevel.Unclassified && cable.Classification <= ceiling);
    }

    // Loops, not LINQ: the feed matches each change under its lock, and a lambda over the change allocates on each call.
    private static bool HasAll(IReadOnlyList<string> tags, IReadOnlyList<string> wanted)
    {
        for (var i = 0; i < wanted.Count; i++)
        {
            if (!Contains(tags, wanted[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasAny(IReadOnlyList<string> tags, IReadOnlyList<string> wanted)
    {
        for (var i = 0; i < wanted.Count; i++)
        {
            if (Contains(tags, wanted[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Cites(FeedChange change, string cited) =>
        change.Cable.References.Any(r => r.Kind == Cables.Api.V1.ReferenceKind.Cable && r.Id == cited);

    private static bool Contains(IReadOnlyList<string> tags, string tag)
    {
        for (var i = 0; i < tags.Count; i++)
        {
            if (string.Equals(tags[i], tag, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Date bounds as the store compares them: UTC, an unspecified kind taken as UTC.</summary>
internal static class CableTimes
{
    public static DateTime Utc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };
}
