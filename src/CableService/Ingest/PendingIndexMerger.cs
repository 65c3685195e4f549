using Cables.Storage;
using Microsoft.Extensions.Options;

namespace CableService.Ingest;

/// <summary>
/// Once ingest has been quiet for <see cref="IngestOptions.IndexMergeDelay"/> after a commit, merges the GIN indexes'
/// pending lists (<see cref="CableStore.MergePendingIndexEntriesAsync"/>), so tag and full-text queries right after a
/// bulk load do not each scan tens of megabytes of pending entries while autovacuum has not come round yet.
/// </summary>
public sealed class PendingIndexMerger(CableStore store, IOptions<IngestOptions> options, ILogger<PendingIndexMerger> logger) : BackgroundService
{
    private readonly TimeSpan _delay = options.Value.IndexMergeDelay;
    private long _lastCommitTicks;
    private int _pending;

    /// <summary>Counts the merges that found entries to merge (for tests and diagnostics).</summary>
    public int Merges { get; private set; }

    /// <summary>Call after every commit that wrote cables.</summary>
    public void Committed()
    {
        Volatile.Write(ref _lastCommitTicks, Environment.TickCount64);
        Volatile.Write(ref _pending, 1);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_delay <= TimeSpan.Zero)
        {
            return; // turned off
        }

        using var timer = new PeriodicTimer(_delay / 2);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (Volatile.Read(ref _pending) == 0 || Environment.TickCount64 - Volatile.Read(ref _lastCommitTicks) < _delay.TotalMilliseconds)
            {
                continue;
            }

            Volatile.Write(ref _pending, 0);
            try
            {
                var pages = await store.MergePendingIndexEntriesAsync(stoppingToken);
                if (pages > 0)
                {
                    Merges++;
                    logger.LogInformation("Ingest went quiet: merged {Pages} pending GIN index pages", pages);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Autovacuum merges them in its own time: a failed merge only delays fast queries.
                logger.LogWarning(e, "Merging the pending GIN index entries failed; autovacuum will merge them");
            }
        }
    }
}
