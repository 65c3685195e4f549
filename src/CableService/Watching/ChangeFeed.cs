using CableService.Telemetry;
using Cables.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CableService.Watching;

/// <summary>
/// What one service instance knows of the change log, shared by all its watchers. One connection LISTENs for the
/// commits that logged changes; on each, and every <see cref="WatchOptions.PollInterval"/>, the feed reads the horizon
/// and, while watchers are attached, reads the new changes below it once for all of them: first the log alone,
/// whose rows carry the fields filters match on, then the cables of the changes some watcher's fields match (the
/// watchers its <see cref="WatcherIndex"/> names), each put in the mailbox of every watcher it matches. Memory holds
/// the changes from the oldest one a watcher has not taken to the newest read: when that span passes
/// <see cref="WatchOptions.MaxQueuedChanges"/> (checked after each chunk read), the watcher furthest behind reads the log
/// itself.
/// </summary>
public sealed class ChangeFeed(CableStores stores, NpgsqlDataSource dataSource, IOptions<WatchOptions> options, ILogger<ChangeFeed> logger)
    : BackgroundService
{
    private static readonly TimeSpan s_listenPing = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_maxRetryDelay = TimeSpan.FromSeconds(30);

    private readonly CableStore _store = stores.Primary;
    private readonly SharedRead<long> _horizonRead = new(stores.Primary.GetChangeHorizonAsync);
    private readonly SharedRead<ChangePosition> _prunedRead = new(stores.Primary.GetPrunedPositionAsync);
    private readonly WatchOptions _options = options.Value;
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Guarded by _lock: every change up to _published that a subscription not behind matches is in its mailbox, or taken.
    private readonly WatcherIndex _index = new();
    private readonly List<FeedSubscription> _subscriptions = [];
    private readonly List<FeedSubscription> _candidates = [];
    private ChangePosition _published;
    private ChangePosition _reading; // the end of a chunk whose cables are being read: a watcher attaching before it reads the log
    private long _read; // changes the feed has read: a mailbox entry's number says how far back it is
    private long _putBehind;

    private TaskCompletionSource _wake = NewSignal();
    private TaskCompletionSource _refreshed = NewSignal();
    private long _horizon;

    /// <summary>The horizon of the last refresh: every change below it is in the log for good.</summary>
    public long Horizon => Volatile.Read(ref _horizon);

    /// <summary>Watchers attached to this instance.</summary>
    public int Watchers
    {
        get
        {
            lock (_lock)
            {
                return _subscriptions.Count;
            }
        }
    }

    /// <summary>How many times a watcher was sent to read the log itself: the mailboxes were full, or the feed fell behind retention.</summary>
    public long WatchersPutBehind
    {
        get
        {
            lock (_lock)
            {
                return _putBehind;
            }
        }
    }

    /// <summary>Completes when the feed next moves its horizon.</summary>
    public Task Refreshed => Volatile.Read(ref _refreshed).Task;

    /// <summary>
    /// The position of "now": the horizon as it is at the call, so a change committed before it (and below it) is behind
    /// a new watcher, whatever the feed has read yet. Waits for the feed's first refresh.
    /// </summary>
    public async Task<ChangePosition> NowAsync(CancellationToken ct)
    {
        await _ready.Task.WaitAsync(ct);
        var now = ChangePosition.AtHorizon(await _horizonRead.ReadAsync(ct));
        lock (_lock)
        {
            return ChangePosition.Max(_published, now);
        }
    }

    /// <summary>The position below which the change log has been pruned, read after the call.</summary>
    public Task<ChangePosition> PrunedPositionAsync(CancellationToken ct) => _prunedRead.ReadAsync(ct);

    /// <summary>
    /// Attaches a watcher standing at <paramref name="position"/> until the result is disposed: from then on the feed
    /// puts each change matching <paramref name="filter"/> in its mailbox. A position behind what the feed has read
    /// starts behind (the watcher reads the log first). The feed reads changes only while a watcher is attached.
    /// </summary>
    public FeedSubscription Subscribe(WatchFilter filter, ChangePosition position)
    {
        FeedSubscription subscription;
        bool first;
        lock (_lock)
        {
            subscription = new FeedSubscription(this, filter, behind: position < Frontier);
            _index.Add(subscription);
            _subscriptions.Add(subscription);
            first = _subscriptions.Count == 1;
        }

        if (first)
        {
            Wake();
        }

        return subscription;
    }

    internal void Unsubscribe(FeedSubscription subscription)
    {
        lock (_lock)
        {
            _index.Remove(subscription);
            _subscriptions.Remove(subscription);
            subscription.Mailbox.Clear();
        }
    }

    internal FeedRead Take(FeedSubscription subscription, ChangePosition after, int max)
    {
        lock (_lock)
        {
            // A push completes the signal under this lock (its continuations run elsewhere); a take after it starts a new one.
            if (subscription.Signal.Task.IsCompleted)
            {
                subscription.Signal = NewSignal();
            }

            var signal = subscription.Signal.Task;
            if (subscription.Behind)
            {
                return new FeedRead([], after, Behind: true, signal);
            }

            var changes = new List<FeedChange>(Math.Min(max, subscription.Mailbox.Count));
            while (changes.Count < max && subscription.Mailbox.TryDequeue(out var entry))
            {
                if (entry.Change.Position > after)
                {
                    changes.Add(entry.Change);
                }
            }

            var end = subscription.Mailbox.Count == 0 ? ChangePosition.Max(after, _published) : changes[^1].Position;
            return new FeedRead(changes, end, Behind: false, signal);
        }
    }

    internal bool TryRejoin(FeedSubscription subscription, ChangePosition position)
    {
        lock (_lock)
        {
            if (!subscription.Behind || position >= Frontier)
            {
                subscription.Behind = false;
                return true;
            }

            return false;
        }
    }

    // Guarded by _lock: every change up to it is in the mailboxes or is being read for the watchers attached.
    private ChangePosition Frontier => ChangePosition.Max(_published, _reading);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listening = ListenAsync(stoppingToken);
        var retryDelay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = Volatile.Read(ref _wake).Task;
            try
            {
                await RefreshAsync(stoppingToken);
                retryDelay = TimeSpan.FromSeconds(1);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Reading the change log failed; watchers wait, retrying in {Delay}", retryDelay);
                await Pause(Task.Delay(retryDelay, stoppingToken));
                retryDelay = Min(retryDelay * 2, s_maxRetryDelay);
                continue;
            }

            await Pause(wake.WaitAsync(_options.PollInterval, stoppingToken));
        }

        await Pause(listening);
    }

    /// <summary>Reads the changes below the current horizon into memory (while watchers are attached) and publishes them.</summary>
    private async Task RefreshAsync(CancellationToken ct)
    {
        var horizon = await _horizonRead.ReadAsync(ct);
        if (_ready.Task.IsCompleted && horizon <= Horizon)
        {
            return;
        }

        ChangePosition position;
        lock (_lock)
        {
            // With nobody to read for, the feed jumps to the horizon; checked under the lock, so a watcher that attaches
            // now stands at or past the jump, or finds the feed reading from where it stands.
            if (_subscriptions.Count == 0)
            {
                _published = ChangePosition.Max(_published, ChangePosition.AtHorizon(horizon));
            }

            position = _published;
        }

        if (position == ChangePosition.AtHorizon(horizon))
        {
            MoveHorizon(horizon);
            return;
        }

        while (true)
        {
            IReadOnlyList<CableChange> chunk;
            try
            {
                chunk = await _store.ReadChangesAsync(position, horizon, _options.ReadChunkSize, ct);
            }
            catch (ChangePositionExpiredException e)
            {
                // The feed itself fell behind the retention (a service stopped for longer): it goes on from the pruned
                // position, and watchers behind it read the log, where they learn that their position expired.
                logger.LogWarning("The change feed fell behind the change log's retention; going on after {Commit}/{Seq}", e.Pruned.Commit, e.Pruned.Seq);
                position = e.Pruned;
                PutAllBehind(position);
                continue;
            }

            if (chunk.Count > 0)
            {
                var cables = await _store.ReadChangedCablesAsync(Wanted(chunk), ct);
                position = chunk[^1].Position;
                Publish(cables, chunk.Count, position);
            }

            if (chunk.Count < _options.ReadChunkSize)
            {
                break;
            }
        }

        Publish([], 0, ChangePosition.AtHorizon(horizon));
        MoveHorizon(horizon);
    }

    private void MoveHorizon(long horizon)
    {
        Volatile.Write(ref _horizon, horizon);
        _ready.TrySetResult();
        Interlocked.Exchange(ref _refreshed, NewSignal()).TrySetResult();
    }

    /// <summary>
    /// The changes of <paramref name="chunk"/> whose logged fields some attached watcher matches: those whose cables the
    /// feed reads. Until they are published, a watcher attaching or rejoining before the chunk's end reads the log.
    /// </summary>
    private List<CableChange> Wanted(IReadOnlyList<CableChange> chunk)
    {
        var wanted = new List<CableChange>();
        lock (_lock)
        {
            _reading = chunk[^1].Position;
            foreach (var change in chunk)
            {
                _candidates.Clear();
                _index.CandidatesOf(change, _candidates);
                foreach (var subscription in _candidates)
                {
                    if (!subscription.Behind && subscription.Filter.MatchesFields(change.Fields))
                    {
                        wanted.Add(change);
                        break;
                    }
                }
            }
        }

        return wanted;
    }

    /// <summary>
    /// Puts each change in the mailboxes of the watchers it matches, and moves the published position past the
    /// <paramref name="read"/> changes of the chunk. Entries are numbered by chunk: the memory bound counts whole chunks.
    /// </summary>
    private void Publish(IReadOnlyList<ChangedCable> cables, int read, ChangePosition published)
    {
        lock (_lock)
        {
            _read += read;
            foreach (var cable in cables)
            {
                var change = new FeedChange(cable);
                _candidates.Clear();
                _index.CandidatesOf(cable.Change, _candidates);
                foreach (var subscription in _candidates)
                {
                    if (!subscription.Behind && subscription.Filter.Matches(change))
                    {
                        subscription.Mailbox.Enqueue((_read, change));
                        subscription.Signal.TrySetResult();
                    }
                }
            }

            _published = ChangePosition.Max(_published, published);
            _reading = default;
            while (FurthestBehind() is { } furthest && _read - furthest.Mailbox.Peek().Number >= _options.MaxQueuedChanges)
            {
                PutBehind(furthest);
            }
        }
    }

    /// <summary>Every watcher reads the log: the feed itself jumped to <paramref name="position"/> (changes were pruned under it).</summary>
    private void PutAllBehind(ChangePosition position)
    {
        lock (_lock)
        {
            foreach (var subscription in _subscriptions)
            {
                PutBehind(subscription);
            }

            _published = position;
            _reading = default;
        }
    }

    private FeedSubscription PutBehind(FeedSubscription subscription)
    {
        _putBehind++;
        CableTelemetry.WatchersBehind.Add(1);
        subscription.Behind = true;
        subscription.Mailbox.Clear();
        subscription.Signal.TrySetResult();
        return subscription;
    }

    /// <summary>The watcher whose oldest change not taken is the oldest of all, or null when every mailbox is empty.</summary>
    private FeedSubscription? FurthestBehind()
    {
        FeedSubscription? furthest = null;
        foreach (var subscription in _subscriptions)
        {
            if (subscription.Mailbox.Count > 0 && (furthest is null || subscription.Mailbox.Peek().Number < furthest.Mailbox.Peek().Number))
            {
                furthest = subscription;
            }
        }

        return furthest;
    }

    /// <summary>
    /// Keeps one connection LISTENing on <see cref="CableStore.ChangeChannel"/>, reconnecting with backoff; each
    /// notification wakes the refresh loop. While it is down the loop polls.
    /// </summary>
    private async Task ListenAsync(CancellationToken ct)
    {
        var retryDelay = TimeSpan.FromSeconds(1);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                connection.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand($"LISTEN {CableStore.ChangeChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(ct);
                }

                retryDelay = TimeSpan.FromSeconds(1);
                Wake(); // notifications sent while no connection listened are lost: look at the log now
                while (!ct.IsCancellationRequested)
                {
                    if (!await connection.WaitAsync(s_listenPing, ct))
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteNonQueryAsync(ct);
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "The change feed's LISTEN connection failed; polling every {Poll} until it is back (retry in {Delay})", _options.PollInterval, retryDelay);
                await Pause(Task.Delay(retryDelay, ct));
                retryDelay = Min(retryDelay * 2, s_maxRetryDelay);
            }
        }
    }

    // A notification arrives after its commit is visible: the refresh it wakes reads a horizon past it.
    private void OnNotification(object sender, NpgsqlNotificationEventArgs e) => Wake();

    private void Wake() => Interlocked.Exchange(ref _wake, NewSignal()).TrySetResult();

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    // Waking up early (a timeout, a shutdown) is not an error here: the loops look at the token.
    private static async Task Pause(Task wait) => await wait.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

    internal static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override void Dispose()
    {
        _horizonRead.Dispose();
        _prunedRead.Dispose();
        base.Dispose();
    }
}
