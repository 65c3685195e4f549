using CableService.Watching;

namespace CableService.Tests.Watching;

public sealed class SharedReadTests
{
    [Fact]
    public async Task Callers_that_arrive_while_a_read_runs_share_the_next_read_not_the_running_one()
    {
        var reads = 0;
        var first = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var shared = new SharedRead<int>(_ => ++reads == 1 ? first.Task : second.Task);

        var running = shared.ReadAsync(CancellationToken.None);
        var waiting = Enumerable.Range(0, 50).Select(_ => shared.ReadAsync(CancellationToken.None)).ToArray();
        first.SetResult(1);
        Assert.Equal(1, await running);
        second.SetResult(2);

        // The running read may have taken its value before they called: each waiting caller gets the one after it.
        Assert.All(await Task.WhenAll(waiting), value => Assert.Equal(2, value));
        Assert.Equal(2, reads);
    }

    [Fact]
    public async Task A_caller_after_a_finished_read_reads_again()
    {
        var reads = 0;
        using var shared = new SharedRead<int>(_ => Task.FromResult(++reads));

        Assert.Equal(1, await shared.ReadAsync(CancellationToken.None));
        Assert.Equal(2, await shared.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_failed_read_fails_its_own_caller_and_the_next_caller_reads_again()
    {
        var reads = 0;
        using var shared = new SharedRead<int>(_ => ++reads == 1 ? Task.FromException<int>(new TimeoutException()) : Task.FromResult(reads));

        await Assert.ThrowsAsync<TimeoutException>(() => shared.ReadAsync(CancellationToken.None));
        Assert.Equal(2, await shared.ReadAsync(CancellationToken.None));
    }
}
