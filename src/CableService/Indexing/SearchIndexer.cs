using CableService.Ingest;
using System.Diagnostics;
using Cables.Storage;
using Microsoft.Extensions.Options;

namespace CableService.Indexing;

/// <summary>
/// Computes the full-text vectors of stored cables, out of the ingest's way (<see cref="CableStore.IndexQueuedSearchAsync"/>):
/// <see cref="IngestOptions.SearchIndexWorkers"/> workers take batches from the database's queue until it is empty,
/// then sleep until this service commits cables or the poll interval passes (other writers queue cables too).
/// A cable answers tag, origin and date queries once its batch commits, and text queries once its vector is computed.
/// </summary>
/// <remarks>
/// Ingest comes first: a vector costs PostgreSQL about as much CPU as storing its cable, and indexing at full speed
/// during a bulk load halved the load's rate (docs/decisions/0002-deferred-search-index.md). While this service is committing batches, one worker
/// indexes <see cref="IngestOptions.SearchIndexShareDuringIngest"/> of the time and the others wait; all of them run
/// once ingest pauses for <see cref="IngestActiveWindow"/>. A steady trickle of cables is still indexed as it comes.
/// </remarks>
public sealed class SearchIndexer(
    CableStore store, PendingIndexMerger indexMerger, IngestMetrics metrics, IOptions<IngestOptions> options, ILogger<SearchIndexer> logger)
    : BackgroundService
{
    /// <summary>How long after a commit ingest counts as active.</summary>
    public static readonly TimeSpan IngestActiveWindow = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan s_retryDelay = TimeSpan.FromSeconds(5);
    private readonly IngestOptions _options = options.Value;
    private TaskCompletionSource _wake = NewWake();
    private long _lastCommitTicks = long.MinValue / 2;

    /// <summary>Call after every commit that wrote cables: wakes the idle workers.</summary>
    public void Committed()
    {
        Volatile.Write(ref _lastCommitTicks, Environment.TickCount64);
        Interlocked.Exchange(ref _wake, NewWake()).TrySetResult();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(0, _options.SearchIndexWorkers)).Select(worker => WorkAsync(worker, stoppingToken)));

    private bool IngestActive => Environment.TickCount64 - Volatile.Read(ref _lastCommitTicks) < IngestActiveWindow.TotalMilliseconds;

    private async Task WorkAsync(int worker, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (IngestActive && (worker > 0 || _options.SearchIndexShareDuringIngest <= 0))
            {
                await Delay(Task.Delay(IngestActiveWindow, stoppingToken));
                continue;
            }

            // Taken before looking at the queue, so a commit made while this worker looks wakes it again.
            var wake = Volatile.Read(ref _wake).Task;
            var started = Stopwatch.GetTimestamp();
            int indexed;
            try
            {
                indexed = await store.IndexQueuedSearchAsync(_options.SearchIndexBatchSize, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return; // the transaction rolled back: the batch stays queued
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Computing full-text vectors failed; the cables stay queued, retrying in {Delay}", s_retryDelay);
                await Delay(Task.Delay(s_retryDelay, stoppingToken));
                continue;
            }

            if (indexed > 0)
            {
                metrics.SearchIndexed(indexed);
                indexMerger.Committed(); // merge the GIN pending list once indexing, too, has gone quiet
                if (IngestActive)
                {
                    await Delay(Task.Delay(RestAfter(Stopwatch.GetElapsedTime(started), _options.SearchIndexShareDuringIngest), stoppingToken));
                }

                continue;
            }

            await Delay(wake.WaitAsync(_options.SearchIndexPollInterval, stoppingToken));
        }
    }

    /// <summary>
    /// How long the working indexer rests after a batch that took <paramref name="worked"/>, so that it works
    /// <paramref name="share"/> of the time while ingest is active (with no share, the loop waits for ingest to pause).
    /// </summary>
    internal static TimeSpan RestAfter(TimeSpan worked, double share) =>
        share is <= 0 or >= 1 ? TimeSpan.Zero : worked * ((1 - share) / share);

    // Waking up early (a timeout, a shutdown) is not an error here: the loop looks at the token.
    private static async Task Delay(Task wait) => await wait.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
