using CableService.Indexing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CableService.Tests.Units;

public sealed class PendingIndexMergerTests
{
    private static readonly TimeSpan s_delay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A merge under way stops when a writer commits (PostgreSQL's merge would otherwise chase the writer's new entries
    /// to the end, and keep the writers from merging their own), and the next quiet period merges what is left.
    /// </summary>
    [Fact]
    public async Task A_merge_under_way_yields_to_a_commit_and_runs_again_once_writes_pause()
    {
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        async Task<long> Merge(CancellationToken ct)
        {
            if (Interlocked.Increment(ref calls) > 1)
            {
                return 7;
            }

            firstStarted.SetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
                return 0;
            }
            catch (OperationCanceledException)
            {
                firstCancelled.SetResult();
                throw;
            }
        }

        using var merger = new PendingIndexMerger(Merge, s_delay, NullLogger<PendingIndexMerger>.Instance);
        await merger.StartAsync(CancellationToken.None);
        try
        {
            merger.Committed();
            await firstStarted.Task.WaitAsync(s_patience);

            merger.Committed(); // a writer is back
            await firstCancelled.Task.WaitAsync(s_patience);

            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (merger.Merges == 0 && waited.Elapsed < s_patience)
            {
                await Task.Delay(20);
            }

            Assert.Equal(1, merger.Yields);
            Assert.Equal(1, merger.Merges);
            Assert.Equal(2, calls);
        }
        finally
        {
            await merger.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Without_commits_nothing_is_merged()
    {
        var calls = 0;
        using var merger = new PendingIndexMerger(_ => Task.FromResult((long)Interlocked.Increment(ref calls)), s_delay, NullLogger<PendingIndexMerger>.Instance);
        await merger.StartAsync(CancellationToken.None);
        await Task.Delay(s_delay * 4);
        await merger.StopAsync(CancellationToken.None);

        Assert.Equal(0, calls);
    }
}
