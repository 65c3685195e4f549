using CableService.Database;
using Cables.Storage;

namespace CableService.Tests.Replication;

/// <summary>
/// A primary and its streaming standby, both throwaway, and two instances of the service: <see cref="Writer"/> on the
/// primary alone, <see cref="Reader"/> reading from the standby first and the primary after it
/// (<c>ConnectionStrings:CablesRead</c>, multi-host). A spread of the corpus is ingested through the writer.
/// </summary>
public sealed class ReplicatedService : IAsyncLifetime
{
    public const string Database = "cables";

    private PostgresCluster? _primary;
    private PostgresCluster? _standby;
    private TestServiceHost? _writer;
    private TestServiceHost? _reader;

    public PostgresCluster Primary => _primary ?? throw new InvalidOperationException("not started");

    public PostgresCluster Standby => _standby ?? throw new InvalidOperationException("not started");

    public TestServiceHost Writer => _writer ?? throw new InvalidOperationException("not started");

    public TestServiceHost Reader => _reader ?? throw new InvalidOperationException("not started");

    /// <summary>The reference ids of the cables ingested at start, in byte order.</summary>
    public IReadOnlyList<string> Ingested { get; private set; } = [];

    /// <summary>Headers of a call that must see its own writes.</summary>
    public static Metadata FromPrimary => new() { { ReadRouting.Header, ReadRouting.Primary } };

    public async Task InitializeAsync()
    {
        _primary = await PostgresCluster.StartNewAsync();
        await _primary.ExecuteAsync($"CREATE DATABASE {Database}");
        await CableStorageSetup.MigrateAsync(_primary.ConnectionString(Database), CancellationToken.None);
        _standby = await _primary.StartStandbyAsync();

        _writer = await TestServiceHost.StartAsync(_primary.ConnectionString(Database));
        var reads = $"Host={_standby.HostAndPort},{_primary.HostAndPort};Username=postgres;Database={Database};Target Session Attributes=prefer-standby";
        _reader = await TestServiceHost.StartAsync(_primary.ConnectionString(Database), new TestServiceHostOptions
        {
            Settings = new Dictionary<string, string?> { ["ConnectionStrings:CablesRead"] = reads },
        });

        var responses = await _writer.Client.IngestAllAsync(Corpus.Sample(4).Select(t => Ingestion.Telegram(t.Path, t.ReferenceId)));
        Ingested = [.. responses.Values
            .Where(r => r.Outcome is Api.IngestOutcome.Created)
            .Select(r => r.ReferenceId)
            .Distinct()
            .Order(StringComparer.Ordinal)];
        await _standby.WaitForReplayOfAsync(_primary, TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        foreach (var host in new[] { _reader, _writer })
        {
            if (host is not null)
            {
                await host.DisposeAsync();
            }
        }

        foreach (var cluster in new[] { _standby, _primary })
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }
        }
    }
}
