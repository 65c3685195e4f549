using Cables.Storage;
using Microsoft.Extensions.Options;

namespace CableService.Ingest;

/// <summary>
/// Computes the full-text vectors of stored cables, out of the ingest's way (<see cref="CableStore.IndexQueuedSearchAsync"/>):
/// <see cref="IngestOptions.SearchIndexWorkers"/> workers take batches from the database's queue until it is empty,
/// then sleep until this service commits cables or the poll interval passes (other writers queue cables too).
/// A cable answers tag, origin and date queries once its batch commits, and text queries once its vector is computed.
/// </summary>
public sealed class SearchIndexer(
    CableStore store, PendingIndexMerger indexMerger, IOptions<IngestOptions> options, ILogger<SearchIndexer> logger) : BackgroundService
{
    private static readonly TimeSpan s_retryDelay = TimeSpan.FromSeconds(5);
    private readonly IngestOptions _options = options.Value;
    private TaskCompletionSource _wake = NewWake();
    private long _indexed;

    /// <summary>Vectors computed since the service started.</summary>
    public long Indexed => Interlocked.Read(ref _indexed);

    /// <summary>Call after every commit that wrote cables: wakes the idle workers.</summary>
    public void Committed() => Interlocked.Exchange(ref _wake, NewWake()).TrySetResult();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, _options.SearchIndexWorkers)).Select(_ => WorkAsync(stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // Taken before looking at the queue, so a commit made while this worker looks wakes it again.
            var wake = Volatile.Read(ref _wake).Task;
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
                Interlocked.Add(ref _indexed, indexed);
                indexMerger.Committed(); // merge the GIN pending list once indexing, too, has gone quiet
                continue;
            }

            await Delay(wake.WaitAsync(_options.SearchIndexPollInterval, stoppingToken));
        }
    }

    // Waking up early (a timeout, a shutdown) is not an error here: the loop looks at the token.
    private static async Task Delay(Task wait) => await wait.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
