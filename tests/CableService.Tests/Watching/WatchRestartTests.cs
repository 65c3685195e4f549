using CableService.Operations;

namespace CableService.Tests.Watching;

public sealed class WatchRestartTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_watch_cut_by_a_restart_resumes_on_a_new_host_over_the_same_database_with_nothing_lost_or_repeated()
    {
        var cables = TestCables.Requests(40);
        var expected = cables.Select(c => c.Metadata.ReferenceId).ToList();
        var received = new List<string>();
        string position;

        var first = await TestServiceHost.StartAsync(database.ConnectionString, new TestServiceHostOptions { Settings = WatchHost.WatchSettings });
        await using (first)
        {
            await using var watch = new WatchClient(first.Client, WatchClient.FromNow());
            await watch.UntilAsync(w => w.Received.Count > 0);
            await first.Client.IngestAllAsync(cables.Take(15));
            await watch.ChangesAsync(15);

            // SIGTERM: the watch ends retryable, with the position to go on from.
            await first.StopAsync();
            var error = await watch.FailureAsync();
            Assert.Equal(StatusCode.Unavailable, error.StatusCode);
            var info = error.GetRpcStatus()?.GetDetail<ErrorInfo>();
            Assert.Equal(ShutdownSignal.Reason, info?.Reason);
            position = info!.Metadata[ShutdownSignal.ResumeTokenKey];
            Assert.True(WatchClient.Decode(position) >= WatchClient.Decode(watch.LastPosition));
            received.AddRange(watch.Changes.Select(c => c.Cable.ReferenceId));
        }

        // Written while no service ran: by the next host, before the watch comes back.
        var second = await TestServiceHost.StartAsync(database.ConnectionString, new TestServiceHostOptions { Settings = WatchHost.WatchSettings });
        await using (second)
        {
            await second.Client.IngestAllAsync(cables.Skip(15).Take(10));
            await using var resumed = new WatchClient(second.Client, WatchClient.From(position));
            await second.Client.IngestAllAsync(cables.Skip(25));
            await resumed.ChangesAsync(expected.Count - received.Count);
            await resumed.ForAsync(TimeSpan.FromMilliseconds(600));
            received.AddRange(resumed.Changes.Select(c => c.Cable.ReferenceId));
        }

        Assert.Equal(expected.Order(StringComparer.Ordinal), received.Order(StringComparer.Ordinal));
    }
}
