using Npgsql;

namespace Cables.Cli.Tests.EndToEnd;

/// <summary>
/// The real service (<see cref="TestServiceHost"/>) on a loopback port over a fresh <see cref="TestDatabase"/>, as an xunit
/// class fixture. <see cref="StopAsync"/> and <see cref="StartAsync"/> take it down and bring it back on the same
/// port, the way a restarted server looks to a client.
/// </summary>
public sealed class ServiceHost : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private TestServiceHost? _host;
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

    /// <summary>Starts the service: on a free port the first time, on the same port after a restart.</summary>
    public async Task StartAsync()
    {
        _host = await TestServiceHost.StartAsync(_database.ConnectionString, new TestServiceHostOptions { Port = _port });
        _port = _host.Address.Port;
    }

    /// <summary>Stops the server; calls still running after <paramref name="grace"/> are cut off, as in a crash.</summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        if (_host is not null)
        {
            await _host.StopAsync(grace ?? TimeSpan.FromSeconds(5));
            await _host.DisposeAsync();
            _host = null;
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
