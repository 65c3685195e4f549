using Cables.Storage;

namespace CableService.Watching;

/// <summary>
/// One watcher's place in the <see cref="ChangeFeed"/>: the changes the feed matched for it and it has not taken yet, in
/// log order. When the feed's memory is full, the watcher furthest behind is put behind: its mailbox is dropped, and it
/// reads the log itself until it has caught up with the feed, then rejoins. Its fields are guarded by the feed's lock.
/// </summary>
public sealed class FeedSubscription : IDisposable
{
    private readonly ChangeFeed _feed;
    private int _disposed;

    internal FeedSubscription(ChangeFeed feed, WatchFilter filter, bool behind)
    {
        _feed = feed;
        Filter = filter;
        Behind = behind;
    }

    public WatchFilter Filter { get; }

    /// <summary>Matched changes not yet taken, each with the number of changes the feed had read up to it.</summary>
    internal Queue<(long Number, FeedChange Change)> Mailbox { get; } = new();

    /// <summary>The feed no longer fills the mailbox: the watcher reads the log until <see cref="TryRejoin"/>.</summary>
    internal bool Behind { get; set; }

    /// <summary>Completed when the mailbox gets a change or the watcher is put behind; a take replaces a completed one.</summary>
    internal TaskCompletionSource Signal { get; set; } = ChangeFeed.NewSignal();

    /// <summary>The last round of <see cref="WatcherIndex.CandidatesOf"/> that offered this watcher.</summary>
    internal long OfferedIn { get; set; }

    /// <summary>
    /// Up to <paramref name="max"/> matched changes after <paramref name="after"/>, and the position the watcher stands
    /// at once it has sent them; <see cref="FeedRead.Behind"/> when it must read the log itself.
    /// </summary>
    public FeedRead Take(ChangePosition after, int max) => _feed.Take(this, after, max);

    /// <summary>
    /// Back to the mailbox once the watcher, reading the log, stands at <paramref name="position"/> at or past everything
    /// the feed has matched for others; false while the feed is ahead of it (read the log again after its next refresh).
    /// </summary>
    public bool TryRejoin(ChangePosition position) => _feed.TryRejoin(this, position);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _feed.Unsubscribe(this);
        }
    }
}

/// <summary>
/// What <see cref="FeedSubscription.Take"/> found: matched changes in log order, the position after them, whether the
/// watcher must read the log itself, and a task that completes when there is more to take.
/// </summary>
public sealed record FeedRead(IReadOnlyList<FeedChange> Changes, ChangePosition End, bool Behind, Task Advanced);
