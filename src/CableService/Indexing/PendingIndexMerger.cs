using CableService.Ingest;
using Cables.Storage;
using Microsoft.Extensions.Options;

namespace CableService.Indexing;

/// <summary>
/// Once ingest and the search indexers have been quiet for <see cref="IngestOptions.IndexMergeDelay"/> after a commit,
/// merges the GIN indexes' pending lists (<see cref="CableStore.MergePendingIndexEntriesAsync"/>), so tag and full-text
/// queries right after a bulk load do not each scan tens of megabytes of pending entries while autovacuum has not come
/// round yet. A merge in progress yields as soon as a writer commits again (<see cref="Committed"/>).
/// </summary>
/// <remarks>
/// Why it yields: <c>gin_clean_pending_list</c> empties the whole list, new entries included, and while it runs the
/// writers' own small merges are skipped. Started in a pause between two indexer batches, one merge chased both
/// indexers for the rest of a bulk load's indexing and every entry of the index went through that one backend.
/// Cancelled, the merge keeps what it moved:
/// PostgreSQL's merge is safe to interrupt, as a cancelled VACUUM is.
/// </remarks>
public sealed class PendingIndexMerger : BackgroundService
{
    private readonly Func<CancellationToken, Task<long>> _merge;
    private readonly TimeSpan _delay;
    private readonly ILogger<PendingIndexMerger> _logger;
    private CancellationTokenSource? _merging;
    private long _lastCommitTicks;
    private int _pending;

    public PendingIndexMerger(CableStore store, IOptions<IngestOptions> options, ILogger<PendingIndexMerger> logger)
        : this(store.MergePendingIndexEntriesAsync, options.Value.IndexMergeDelay, logger)
    {
    }

    /// <summary>For tests: <paramref name="merge"/> stands in for the store's merge.</summary>
    internal PendingIndexMerger(Func<CancellationToken, Task<long>> merge, TimeSpan delay, ILogger<PendingIndexMerger> logger)
    {
        _merge = merge;
        _delay = delay;
        _logger = logger;
    }

    /// <summary>Counts the merges that found entries to merge (for tests and diagnostics).</summary>
    public int Merges { get; private set; }

    /// <summary>Counts the merges that yielded to a commit before they finished.</summary>
    public int Yields { get; private set; }

    /// <summary>Call after every commit that wrote cables or vectors: a merge waits for quiet, and one under way stops.</summary>
    public void Committed()
    {
        Volatile.Write(ref _lastCommitTicks, Environment.TickCount64);
        Volatile.Write(ref _pending, 1);
        if (Volatile.Read(ref _merging) is { } merging)
        {
            try
            {
                // Asynchronously: cancelling sends PostgreSQL a cancel request, which the writer should not wait for.
                _ = merging.CancelAsync();
            }
            catch (ObjectDisposedException)
            {
                // That merge has just ended.
            }
        }
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
            await MergeAsync(stoppingToken);
        }
    }

    private async Task MergeAsync(CancellationToken stoppingToken)
    {
        using var merging = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Volatile.Write(ref _merging, merging);
        try
        {
            if (Volatile.Read(ref _pending) != 0)
            {
                return; // a commit came between the check and now: wait for quiet again
            }

            var pages = await _merge(merging.Token);
            if (pages > 0)
            {
                Merges++;
                _logger.LogInformation("Ingest went quiet: merged {Pages} pending GIN index pages", pages);
            }
        }
        catch (Exception) when (merging.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            // A commit cancelled it; Npgsql reports that as a cancellation, or as PostgreSQL's 57014.
            Yields++;
            _logger.LogInformation("A commit came while the pending GIN index entries were merged: the merge stopped, to go on once writes pause");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Autovacuum merges them in its own time: a failed merge only delays fast queries.
            _logger.LogWarning(e, "Merging the pending GIN index entries failed; autovacuum will merge them");
        }
        finally
        {
            Volatile.Write(ref _merging, null);
        }
    }
}
