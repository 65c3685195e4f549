using CableService.Watching;
using Cables.Parsing.Model;
using Cables.Storage;

namespace CableService.Tests.Watching;

public sealed class WatcherIndexTests
{
    private static readonly CableQuery[] s_filters =
    [
        new(),
        new() { AllTags = ["PTER"] },
        new() { AllTags = ["PTER", "PREL"] },
        new() { AllTags = ["PREL", "PTER"] },
        new() { AnyTags = ["PTER", "KJUS"] },
        new() { AnyTags = ["KJUS", "MARR"], MaxClassification = ClassificationLevel.Confidential },
        new() { Origins = ["Embassy Sanaa"] },
        new() { Origins = ["Embassy Sanaa", "Embassy Brussels"], AllTags = ["PTER"] },
        new() { Origins = ["Embassy Nowhere"] },
        new() { MaxClassification = ClassificationLevel.Secret },
        new() { CreatedFrom = new DateTime(2009, 1, 1, 0, 0, 0, DateTimeKind.Utc) },
        new() { Visibility = CableVisibility.For(ClassificationLevel.Confidential, [], []) },
    ];

    private static readonly CableChange[] s_changes =
    [
        Change("Embassy Sanaa", ClassificationLevel.Secret, "PTER", "PREL"),
        Change("Embassy Sanaa", ClassificationLevel.Unclassified),
        Change("Embassy Brussels", ClassificationLevel.Confidential, "PTER", "KJUS"),
        Change("Embassy Brussels", ClassificationLevel.TopSecret, "KJUS", "MARR"),
        Change(null, ClassificationLevel.Unknown, "PREL"),
        Change("Embassy Paris", ClassificationLevel.Secret, "ECON"),
    ];

    [Fact]
    public void Every_watcher_a_change_matches_is_among_its_candidates()
    {
        var watchers = s_filters.Select(f => Subscription(f)).ToArray();
        var index = IndexOf(watchers);
        foreach (var change in s_changes)
        {
            var candidates = new List<FeedSubscription>();
            index.CandidatesOf(change, candidates);
            var matching = watchers.Where(w => w.Filter.MatchesFields(change.Fields)).ToList();
            Assert.NotEmpty(matching);
            Assert.Empty(matching.Except(candidates));
        }
    }

    [Fact]
    public void A_watcher_of_origins_or_tags_is_not_offered_a_change_without_them()
    {
        var everything = Subscription(new());
        var index = IndexOf(
            Subscription(new() { Origins = ["Embassy Nowhere"] }),
            Subscription(new() { AllTags = ["ZZZZ"] }),
            Subscription(new() { AnyTags = ["ZZZY", "ZZZX"] }),
            everything);

        foreach (var change in s_changes)
        {
            var candidates = new List<FeedSubscription>();
            index.CandidatesOf(change, candidates);
            Assert.Equal([everything], candidates);
        }
    }

    [Fact]
    public void A_watcher_found_under_two_of_its_tags_is_offered_once()
    {
        var anyOfTwo = Subscription(new() { AnyTags = ["PTER", "KJUS"] });
        var index = IndexOf(anyOfTwo);

        var candidates = new List<FeedSubscription>();
        index.CandidatesOf(s_changes[2], candidates); // carries both tags
        index.CandidatesOf(s_changes[2], candidates); // and again, as the next change would

        Assert.Equal([anyOfTwo, anyOfTwo], candidates);
    }

    [Fact]
    public void A_removed_watcher_is_offered_nothing()
    {
        var watchers = s_filters.Select(f => Subscription(f)).ToArray();
        var index = IndexOf(watchers);
        foreach (var watcher in watchers)
        {
            index.Remove(watcher);
        }

        var candidates = new List<FeedSubscription>();
        foreach (var change in s_changes)
        {
            index.CandidatesOf(change, candidates);
        }

        Assert.Empty(candidates);
    }

    private static WatcherIndex IndexOf(params FeedSubscription[] watchers)
    {
        var index = new WatcherIndex();
        foreach (var watcher in watchers)
        {
            index.Add(watcher);
        }

        return index;
    }

    // The index reads only the filter; the feed is never reached.
    private static FeedSubscription Subscription(CableQuery query) => new(null!, new WatchFilter(query), behind: false);

    private static CableChange Change(string? origin, ClassificationLevel level, params string[] tags) => new(
        new ChangePosition(1, 1),
        ChangeKind.Created,
        "09TEST1",
        new FilterFields(new DateTime(2009, 6, 1, 0, 0, 0, DateTimeKind.Utc), origin, level, tags, []));
}
