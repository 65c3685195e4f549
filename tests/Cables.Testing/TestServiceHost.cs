using CableService.Hosting;
using CableService.Operations;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using CableArchiveClient = Cables.Api.V1.CableArchive.CableArchiveClient;

namespace Cables.Testing;

/// <summary>What a <see cref="TestServiceHost"/> runs with, beyond its (already migrated) database.</summary>
public sealed record TestServiceHostOptions
{
    /// <summary>Configuration on top of the defaults, e.g. a smaller cable size limit.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Runs last, e.g. to add in-memory exporters.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>The client's HTTP handler (e.g. one that counts connections).</summary>
    public HttpMessageHandler? ClientHandler { get; init; }

    /// <summary>0 for a free loopback port; a port to come back on after a restart.</summary>
    public int Port { get; init; }

    /// <summary>A bearer token <see cref="TestServiceHost.Client"/> sends on every call; null for none.</summary>
    public string? Token { get; init; }
}

/// <summary>
/// The real service, composed as Program.cs composes it, on Kestrel at a loopback port over a given (already migrated)
/// database, with a gRPC channel to it. The one host the functional and end-to-end tests start.
/// </summary>
public sealed class TestServiceHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private TestServiceHost(WebApplication app, GrpcChannel channel, Uri address)
    {
        _app = app;
        Channel = channel;
        Address = address;
        Client = new CableArchiveClient(channel);
    }

    private TestServiceHost(WebApplication app, GrpcChannel channel, Uri address, string token)
        : this(app, channel, address)
    {
        Client = ClientWith(token);
    }

    public GrpcChannel Channel { get; }

    public CableArchiveClient Client { get; }

    /// <summary>A client on the same channel that sends <paramref name="token"/> as its bearer token on every call.</summary>
    public CableArchiveClient ClientWith(string token) =>
        new(Channel.Intercept(metadata =>
        {
            metadata.Add("authorization", $"Bearer {token}");
            return metadata;
        }));

    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<TestServiceHost> StartAsync(string connectionString, TestServiceHostOptions? options = null)
    {
        options ??= new();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CABLES_DATABASE"] = connectionString,
            ["Cables:MigrateOnStart"] = "false", // TestDatabase migrated it
            [WebHostDefaults.ServerUrlsKey] = $"http://127.0.0.1:{options.Port}",
            [GracefulShutdown.TimeoutKey] = "00:00:15",
            // One key for every host of a test, as replicas share one: a token from one resumes on another.
            ["Cables:Tokens:SigningKey"] = Convert.ToBase64String(new byte[32]),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Configuration.AddInMemoryCollection(options.Settings);
        builder.Logging.AddProvider(new TestHostLog(new NpgsqlConnectionStringBuilder(connectionString).Database ?? "host"));
        builder.AddCableService();
        options.ConfigureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapCableEndpoints();
        await app.StartAsync();
        var address = new Uri(app.ListeningAddresses().First());
        var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = options.ClientHandler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = 64 * 1024 * 1024,
            MaxSendMessageSize = 8 * 1024 * 1024,
        });
        return options.Token is { } token ? new TestServiceHost(app, channel, address, token) : new TestServiceHost(app, channel, address);
    }

    /// <summary>
    /// What SIGTERM does: ApplicationStopping, then the server drains; calls still running after
    /// <paramref name="grace"/> (default: the shutdown timeout) are cut off, as in a crash.
    /// </summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        _stopped = true;
        using var timeout = grace is { } limit ? new CancellationTokenSource(limit) : new CancellationTokenSource();
        await _app.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        if (!_stopped)
        {
            await _app.StopAsync();
        }

        await _app.DisposeAsync();
    }
}
