using Npgsql;

namespace CableService.Tests.Watching;

public sealed class WatchBurstTests(WatchHost host) : IClassFixture<WatchHost>
{
    [Fact]
    public async Task A_burst_of_watchers_starting_from_now_opens_no_connection_each()
    {
        await using (var first = new WatchClient(host.Client, WatchClient.FromNow()))
        {
            await first.UntilAsync(w => w.Received.Count > 0); // the feed has its first horizon
        }

        var before = await BackendsAsync();
        var burst = Enumerable.Range(0, 40).Select(_ => new WatchClient(host.Client, WatchClient.FromNow())).ToArray();
        try
        {
            await Task.WhenAll(burst.Select(w => w.UntilAsync(x => x.Received.Count > 0)));

            // Pooled connections outlive the burst: had each watcher read "now" on its own, ingest would go round them.
            Assert.InRange(await BackendsAsync() - before, 0, 1);
        }
        finally
        {
            foreach (var watch in burst)
            {
                await watch.DisposeAsync();
            }
        }
    }

    private async Task<long> BackendsAsync()
    {
        await using var count = host.Database.DataSource.CreateCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'");
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
