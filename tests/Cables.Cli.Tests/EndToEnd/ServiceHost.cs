using CableService.Hosting;
using Cables.Cli.Commands;
using Cables.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Cables.Cli.Tests.EndToEnd;

/// <summary>
/// The real service, hosted in-process on a loopback port over a fresh <see cref="TestDatabase"/>, as an xunit
/// class fixture. <see cref="StopAsync"/> and <see cref="StartAsync"/> take it down and bring it back on the same
/// port, the way a restarted server looks to a client.
/// </summary>
public sealed class ServiceHost : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private WebApplication? _app;
    private int _port;

    public Uri Address => new($"http://127.0.0.1:{_port}");

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await StartAsync();
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        await _database.DisposeAsync();
    }

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration["CABLES_DATABASE"] = _database.ConnectionString;
        builder.Configuration["Cables:MigrateOnStart"] = "false"; // TestDatabase migrated it
        builder.Configuration["Cables:Tokens:SigningKey"] = Convert.ToBase64String(new byte[32]); // tokens outlive a restart
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{_port}"); // port 0 the first time, the same port after a restart
        builder.AddCableService();
        _app = builder.Build();
        _app.MapCableEndpoints();
        await _app.StartAsync();
        _port = new Uri(_app.ListeningAddresses().First()).Port;
    }

    /// <summary>Stops the server; calls still running after <paramref name="grace"/> are cut off, as in a crash.</summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        if (_app is not null)
        {
            using var timeout = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(5));
            await _app.StopAsync(timeout.Token);
            await _app.DisposeAsync();
            _app = null;
        }
    }

    public CablesConnection Connect() => CablesConnection.Open(Address);

    /// <summary>Runs cablectl against this service.</summary>
    public Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) =>
        CommandRunner.RunAsync([.. args, "--server", Address.ToString()]);

    public async Task<long> ScalarAsync(string sql)
    {
        await using var command = new NpgsqlCommand(sql, await _database.DataSource.OpenConnectionAsync());
        await using var connection = command.Connection!;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
