using CableService.Hosting;
using Cables.Testing;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Api = Cables.Api.V1;

namespace CableService.Tests.Functional;

/// <summary>
/// The real host (the same extension methods as Program.cs) on Kestrel at 127.0.0.1:0, over a fresh migrated
/// database, and a gRPC channel to it. One per test class.
/// </summary>
public class ServiceHost : IAsyncLifetime
{
    private WebApplication? _app;

    public TestDatabase Database { get; } = new();

    public GrpcChannel Channel { get; private set; } = null!;

    public Api.Cables.CablesClient Client { get; private set; } = null!;

    public WebApplication App => _app ?? throw new InvalidOperationException("not started");

    /// <summary>Configuration on top of the database's connection string (e.g. a smaller cable size limit).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings => [];

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = ["--urls", "http://127.0.0.1:0"] });
        builder.Configuration.AddInMemoryCollection([new("ConnectionStrings:Cables", Database.ConnectionString), .. Settings]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddCableService();
        _app = builder.Build();
        _app.MapCableEndpoints();
        await _app.StartAsync();

        Channel = GrpcChannel.ForAddress(_app.ListeningAddresses().Single(), new GrpcChannelOptions
        {
            MaxReceiveMessageSize = 64 * 1024 * 1024,
            MaxSendMessageSize = 8 * 1024 * 1024,
        });
        Client = new Api.Cables.CablesClient(Channel);
        await InitializeDataAsync();
    }

    protected virtual Task InitializeDataAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        Channel?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
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
