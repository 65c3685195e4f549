using Grpc.Net.Client;

namespace CableService.Tests.Functional;

/// <summary>
/// A fresh migrated database and the real service over it (<see cref="TestServiceHost"/>), as an xunit class
/// fixture: one per test class.
/// </summary>
public class ServiceHost : IAsyncLifetime
{
    private TestServiceHost? _host;

    public TestDatabase Database { get; } = new();

    public TestServiceHost Host => _host ?? throw new InvalidOperationException("not started");

    public GrpcChannel Channel => Host.Channel;

    public Api.CableArchive.CableArchiveClient Client => Host.Client;

    /// <summary>Configuration on top of the database's connection string (e.g. a smaller cable size limit).</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>The bearer token <see cref="Client"/> sends; null for none (a service without authentication).</summary>
    protected virtual string? Token => null;

    /// <summary>The channel's HTTP handler (e.g. one that trusts a test CA); null for the default.</summary>
    protected virtual HttpMessageHandler? ClientHandler => null;

    /// <summary>Runs last on the host's services (e.g. to capture its logs).</summary>
    protected virtual void ConfigureServices(Microsoft.Extensions.DependencyInjection.IServiceCollection services)
    {
    }

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        _host = await TestServiceHost.StartAsync(Database.ConnectionString, new TestServiceHostOptions { Settings = Settings, Token = Token, ClientHandler = ClientHandler, ConfigureServices = ConfigureServices });
        await InitializeDataAsync();
    }

    protected virtual Task InitializeDataAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await Database.DisposeAsync();
    }

    /// <summary>
    /// Waits until the service's search indexer has computed every queued full-text vector: text queries see a cable
    /// only then, while tag, origin and date queries see it once its ingest commits.
    /// </summary>
    public async Task WaitForSearchIndexAsync()
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        var store = Database.CreateStore();
        for (long queued; (queued = await store.CountQueuedSearchAsync(CancellationToken.None)) > 0;)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{queued} cables still wait for their full-text vector after 2 minutes");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Rows in the cables table and its revisions, straight from the database.</summary>
    public async Task<(long Cables, long Revisions)> CountRowsAsync()
    {
        await using var command = Database.DataSource.CreateCommand("SELECT (SELECT count(*) FROM cables), (SELECT count(*) FROM cable_revisions)");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
