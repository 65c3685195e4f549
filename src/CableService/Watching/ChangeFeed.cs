using Cables.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CableService.Watching;

/// <summary>
/// What one service instance knows of the change log, shared by all its watchers. One connection LISTENs for the
/// commits that logged changes; on each, and every <see cref="WatchOptions.PollInterval"/>, the feed computes the safe
/// horizon and, while watchers are attached, reads the new changes below it once for all of them. It keeps the latest
/// <see cref="WatchOptions.MaxQueuedChanges"/> in memory: a watcher further behind reads the log itself.
/// </summary>
/// <remarks>
/// A notification names its transaction. Until the horizon passes it (an older writer still running), the feed looks at
/// the horizon again every <see cref="HorizonRecheck"/>: the change is delivered once it is safe, not at the next
/// notification.
/// </remarks>
public sealed class ChangeFeed(CableStores stores, NpgsqlDataSource dataSource, IOptions<WatchOptions> options, ILogger<ChangeFeed> logger)
    : BackgroundService
{
    /// <summary>How soon the horizon is looked at again while a notified change is below no horizon yet.</summary>
    public static readonly TimeSpan HorizonRecheck = TimeSpan.FromMilliseconds(10);

    private static readonly TimeSpan s_listenPing = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_maxRetryDelay = TimeSpan.FromSeconds(30);

    private readonly CableStore _store = stores.Primary;
    private readonly WatchOptions _options = options.Value;
    private readonly Lock _lock = new();
    private readonly List<FeedChange> _buffer = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Guarded by _lock: the buffer holds every change in (_bufferStart, _published].
    private ChangePosition _bufferStart;
    private ChangePosition _published;
    private TaskCompletionSource _advanced = NewSignal();

    private TaskCompletionSource _wake = NewSignal();
    private long _horizon;
    private long _notifiedXid;
    private int _watchers;

    /// <summary>The horizon of the last refresh: every change below it is in the log for good.</summary>
    public long Horizon => Volatile.Read(ref _horizon);

    /// <summary>Watchers attached to this instance.</summary>
    public int Watchers => Volatile.Read(ref _watchers);

    /// <summary>
    /// The position of "now": the horizon as it is at the call, so a change committed before it (and below it) is behind
    /// a new watcher, whatever the feed has read yet. Waits for the feed's first refresh.
    /// </summary>
    public async Task<ChangePosition> NowAsync(CancellationToken ct)
    {
        await _ready.Task.WaitAsync(ct);
        var now = ChangePosition.AtHorizon(await _store.GetChangeHorizonAsync(ct));
        lock (_lock)
        {
            return ChangePosition.Max(_published, now);
        }
    }

    /// <summary>Counts a watcher in until the result is disposed: the feed reads changes only while one is attached.</summary>
    public IDisposable Attach()
    {
        if (Interlocked.Increment(ref _watchers) == 1)
        {
            Wake();
        }

        return new Attachment(this);
    }

    /// <summary>
    /// Up to <paramref name="max"/> changes after <paramref name="after"/> from memory, and the position a reader
    /// stands at once it has seen them; <see cref="FeedRead.Behind"/> when the changes right after it are no longer
    /// (or not yet) in memory. <see cref="FeedRead.Advanced"/> completes once more changes are in memory.
    /// </summary>
    public FeedRead Read(ChangePosition after, int max)
    {
        lock (_lock)
        {
            if (after < _bufferStart)
            {
                return new FeedRead([], after, Behind: true, _advanced.Task);
            }

            var first = FirstAfter(after);
            var count = Math.Min(max, _buffer.Count - first);
            var changes = count == 0 ? [] : _buffer.GetRange(first, count);
            var end = first + count == _buffer.Count ? ChangePosition.Max(after, _published) : changes[^1].Position;
            return new FeedRead(changes, end, Behind: false, _advanced.Task);
        }
    }

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

            var pending = Volatile.Read(ref _notifiedXid) >= Horizon;
            await Pause(wake.WaitAsync(pending && Watchers > 0 ? HorizonRecheck : _options.PollInterval, stoppingToken));
        }

        await Pause(listening);
    }

    /// <summary>Reads the changes below the current horizon into memory (while watchers are attached) and publishes them.</summary>
    private async Task RefreshAsync(CancellationToken ct)
    {
        var horizon = await _store.GetChangeHorizonAsync(ct);
        if (_ready.Task.IsCompleted && horizon <= Horizon)
        {
            return;
        }

        if (Watchers == 0)
        {
            lock (_lock)
            {
                _buffer.Clear();
                _published = ChangePosition.Max(_published, ChangePosition.AtHorizon(horizon));
                _bufferStart = _published;
            }

            Volatile.Write(ref _horizon, horizon);
            _ready.TrySetResult();
            return;
        }

        ChangePosition position;
        lock (_lock)
        {
            position = _published;
        }

        while (true)
        {
            IReadOnlyList<CableChange> chunk;
            try
            {
                chunk = await _store.ReadChangesAsync(position, horizon, _options.ReadChunkSize, CableTexts.None, ct);
            }
            catch (ChangePositionExpiredException e)
            {
                // The feed itself fell behind the retention (a service stopped for longer): it goes on from the pruned
                // position, and watchers behind it read the log, where they learn that their position expired.
                logger.LogWarning("The change feed fell behind the change log's retention; going on after {Xid}/{Seq}", e.Pruned.Xid, e.Pruned.Seq);
                position = e.Pruned;
                lock (_lock)
                {
                    _buffer.Clear();
                    _published = _bufferStart = position;
                }

                continue;
            }

            if (chunk.Count > 0)
            {
                position = chunk[^1].Position;
                Publish(chunk, position);
            }

            if (chunk.Count < _options.ReadChunkSize)
            {
                break;
            }
        }

        Volatile.Write(ref _horizon, horizon);
        Publish([], ChangePosition.AtHorizon(horizon));
        _ready.TrySetResult();
    }

    private void Publish(IReadOnlyList<CableChange> changes, ChangePosition published)
    {
        TaskCompletionSource? advanced = null;
        lock (_lock)
        {
            foreach (var change in changes)
            {
                _buffer.Add(new FeedChange(change));
            }

            var excess = _buffer.Count - _options.MaxQueuedChanges;
            if (excess > 0)
            {
                _bufferStart = _buffer[excess - 1].Position;
                _buffer.RemoveRange(0, excess);
            }

            _published = ChangePosition.Max(_published, published);
            if (changes.Count > 0)
            {
                advanced = _advanced;
                _advanced = NewSignal();
            }
        }

        advanced?.TrySetResult();
    }

    /// <summary>Index of the first buffered change after <paramref name="after"/> (binary search: the buffer is in log order).</summary>
    private int FirstAfter(ChangePosition after)
    {
        int low = 0, high = _buffer.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_buffer[middle].Position <= after)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
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

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (long.TryParse(e.Payload, out var xid))
        {
            var seen = Volatile.Read(ref _notifiedXid);
            while (xid > seen)
            {
                var found = Interlocked.CompareExchange(ref _notifiedXid, xid, seen);
                if (found == seen)
                {
                    break;
                }

                seen = found;
            }
        }

        Wake();
    }

    private void Wake() => Interlocked.Exchange(ref _wake, NewSignal()).TrySetResult();

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    // Waking up early (a timeout, a shutdown) is not an error here: the loops look at the token.
    private static async Task Pause(Task wait) => await wait.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Attachment(ChangeFeed feed) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref feed._watchers);
            }
        }
    }
}

/// <summary>
/// What <see cref="ChangeFeed.Read"/> found: changes in log order, the position after them, whether the reader must
/// read the log itself first, and a task that completes when more changes are in memory.
/// </summary>
public sealed record FeedRead(IReadOnlyList<FeedChange> Changes, ChangePosition End, bool Behind, Task Advanced);
