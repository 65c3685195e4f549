namespace Cables.Cli.Tests.Chaos;

/// <summary>The inputs of the chaos tests ingested once without a fault: the snapshot every faulted run must equal.</summary>
public sealed class CleanRun : IAsyncLifetime
{
    /// <summary>About 6,000 items: long enough a job to be killed three times at random moments.</summary>
    public static readonly string[] Inputs =
        [SharedFolder.Path("corpus", "formats", "cables.csv"), SharedFolder.Path("corpus", "formats", "html"), SharedFolder.Path("corpus", "cables")];

    /// <summary>Reconnects patiently, as a job run through a fault must.</summary>
    public static readonly IngestOptions Patient = new()
    {
        Window = 32,
        MaxReconnectWait = TimeSpan.FromSeconds(90),
        MaxReconnectDelay = TimeSpan.FromSeconds(1),
        AcknowledgementTimeout = TimeSpan.FromSeconds(10),
    };

    public string Snapshot { get; private set; } = "";

    public long Cables { get; private set; }

    public async Task InitializeAsync()
    {
        var database = new TestDatabase();
        await database.InitializeAsync();
        try
        {
            await using (var host = await TestServiceHost.StartAsync(database.ConnectionString))
            {
                await IngestAsync(host.Address, new FaultAfter(int.MaxValue, () => Task.CompletedTask));
            }

            Snapshot = await TableSnapshot.TakeAsync(database.ConnectionString);
            Cables = await database.ScalarAsync("SELECT count(*) FROM cables");
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The inputs through one in-process ingest session to <paramref name="address"/>.</summary>
    public static async Task<IngestCounters> IngestAsync(Uri address, IIngestListener listener)
    {
        using var connection = CablesConnection.Open(address);
        using var session = new IngestSession(connection.Client, Patient, null, listener);
        await session.RunAsync(CableSource.FromPaths(Inputs).Read(), CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(4));
        return session.Counters;
    }
}
