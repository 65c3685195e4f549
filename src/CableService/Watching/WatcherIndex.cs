using Cables.Storage;

namespace CableService.Watching;

/// <summary>
/// The feed's watchers by what a change must carry to match them: a filter naming origins is found under each origin, one
/// requiring tags under the first of them, one wanting any of some tags under each; the rest under every change. A
/// change then meets only the watchers it can match, so a watcher that matches nothing costs almost nothing per change.
/// Not thread-safe: the feed uses it under its lock.
/// </summary>
internal sealed class WatcherIndex
{
    private readonly Dictionary<string, List<FeedSubscription>> _byOrigin = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<FeedSubscription>> _byTag = new(StringComparer.Ordinal);
    private readonly List<FeedSubscription> _everyChange = [];

    // Bumped per change: a watcher found under two of its tags is offered once.
    private long _round;

    public void Add(FeedSubscription subscription) => Update(subscription, add: true);

    public void Remove(FeedSubscription subscription) => Update(subscription, add: false);

    /// <summary>Adds to <paramref name="candidates"/> every watcher <paramref name="change"/> may match, each once.</summary>
    public void CandidatesOf(CableChange change, List<FeedSubscription> candidates)
    {
        var round = ++_round;
        Offer(_everyChange, round, candidates);
        var fields = change.Fields;
        if (fields.Origin is { } origin && _byOrigin.TryGetValue(origin, out var byOrigin))
        {
            Offer(byOrigin, round, candidates);
        }

        if (_byTag.Count > 0)
        {
            for (var i = 0; i < fields.Tags.Count; i++)
            {
                if (_byTag.TryGetValue(fields.Tags[i], out var byTag))
                {
                    Offer(byTag, round, candidates);
                }
            }
        }
    }

    private static void Offer(List<FeedSubscription> subscriptions, long round, List<FeedSubscription> candidates)
    {
        foreach (var subscription in subscriptions)
        {
            if (subscription.OfferedIn != round)
            {
                subscription.OfferedIn = round;
                candidates.Add(subscription);
            }
        }
    }

    private void Update(FeedSubscription subscription, bool add)
    {
        var query = subscription.Filter.Query;
        if (query.Origins.Count > 0)
        {
            Update(_byOrigin, query.Origins, subscription, add);
        }
        else if (query.AllTags.Count > 0)
        {
            Update(_byTag, [query.AllTags[0]], subscription, add);
        }
        else if (query.AnyTags.Count > 0)
        {
            Update(_byTag, query.AnyTags, subscription, add);
        }
        else if (add)
        {
            _everyChange.Add(subscription);
        }
        else
        {
            _everyChange.Remove(subscription);
        }
    }

    private static void Update(Dictionary<string, List<FeedSubscription>> index, IReadOnlyList<string> keys, FeedSubscription subscription, bool add)
    {
        foreach (var key in keys.Distinct(StringComparer.Ordinal))
        {
            if (add)
            {
                if (!index.TryGetValue(key, out var list))
                {
                    index[key] = list = [];
                }

                list.Add(subscription);
            }
            else if (index.TryGetValue(key, out var list) && list.Remove(subscription) && list.Count == 0)
            {
                index.Remove(key);
            }
        }
    }
}
