using CableService.Hosting;
using CableService.Operations;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CableService.Tests;

/// <summary>
/// The service composed as Program.cs composes it, over a given (already migrated) database, on a free loopback port,
/// with a channel to it. <paramref name="configureServices"/> runs last, e.g. to add in-memory exporters.
/// </summary>
public sealed class TestServiceHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private TestServiceHost(WebApplication app, GrpcChannel channel)
    {
        _app = app;
        Channel = channel;
    }

    public GrpcChannel Channel { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<TestServiceHost> StartAsync(
        string connectionString, Action<IServiceCollection>? configureServices = null, HttpMessageHandler? clientHandler = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CABLES_DATABASE"] = connectionString,
            ["Cables:MigrateOnStart"] = "false",
            [WebHostDefaults.ServerUrlsKey] = "http://127.0.0.1:0",
            [GracefulShutdown.TimeoutKey] = "00:00:15",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddCableService();
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapCableEndpoints();
        await app.StartAsync();
        var address = app.ListeningAddresses().Single();
        var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = clientHandler, DisposeHttpClient = true });
        return new TestServiceHost(app, channel);
    }

    /// <summary>What SIGTERM does: ApplicationStopping, then the server drains for up to the shutdown timeout.</summary>
    public Task StopAsync()
    {
        _stopped = true;
        return _app.StopAsync();
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
