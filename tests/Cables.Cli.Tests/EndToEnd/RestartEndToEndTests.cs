namespace Cables.Cli.Tests.EndToEnd;

/// <summary>The service stopped and restarted in the middle of an ingest: the client reconnects, resends, loses nothing.</summary>
public sealed class RestartEndToEndTests(ServiceHost service) : IClassFixture<ServiceHost>
{
    [Fact]
    public async Task A_server_restarted_mid_run_loses_nothing()
    {
        string[] inputs = [SharedFolder.Path("corpus", "formats", "cables.csv"), SharedFolder.Path("corpus", "formats", "html")];
        var expected = Expected.For(inputs);
        var listener = new RestartAfter(120, service);
        var options = new IngestOptions { Window = 32, MaxReconnectWait = TimeSpan.FromSeconds(60), MaxReconnectDelay = TimeSpan.FromSeconds(1), AcknowledgementTimeout = TimeSpan.FromSeconds(5) };

        using (var connection = service.Connect())
        using (var session = new IngestSession(connection.Client, options, null, listener))
        {
            await session.RunAsync(CableSource.FromPaths(inputs).Read(), CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(3));
            await listener.Restarted.WaitAsync(TimeSpan.FromMinutes(1));

            Assert.True(session.Counters.Reconnects >= 1, "the client saw the server go away");
            Assert.Equal(expected.Items, session.Counters.Acknowledged);
            Assert.Equal(expected.Accepted, session.Counters.Created + session.Counters.Unchanged + session.Counters.Revised);
            Assert.Equal(listener.Sources.Count, listener.Sources.Distinct().Count()); // one answer per item
        }

        Assert.Equal(expected.ReferenceIds.Count, await service.ScalarAsync("SELECT count(*) FROM cables"));
    }

    private sealed class RestartAfter(int count, ServiceHost service) : IIngestListener
    {
        private readonly TaskCompletionSource _restarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Restarted => _restarted.Task;

        public List<string> Sources { get; } = [];

        public void Acknowledged(V1.IngestCableResponse response)
        {
            lock (Sources)
            {
                Sources.Add(response.ClientItemId);
                if (Sources.Count == count)
                {
                    _ = Task.Run(RestartAsync);
                }
            }
        }

        public void Reconnecting(Exception error, int attempt, TimeSpan delay)
        {
        }

        private async Task RestartAsync()
        {
            try
            {
                await service.StopAsync(TimeSpan.FromMilliseconds(50)); // no grace: the open stream is cut
                await Task.Delay(TimeSpan.FromSeconds(1));
                await service.StartAsync();
                _restarted.SetResult();
            }
            catch (Exception ex)
            {
                _restarted.SetException(ex);
            }
        }
    }
}
