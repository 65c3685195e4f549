using System.Net;
using System.Net.Sockets;
using CableService.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CableService.Tests;

/// <summary>The service's own cluster: initdb in a fresh folder, start, connect, stop (as root this goes through runuser).</summary>
public sealed class EmbeddedPostgresTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"cables-embedded-{Guid.NewGuid():N}");

    [Fact]
    public async Task Starts_a_cluster_in_an_empty_folder_serves_connections_and_stops()
    {
        Directory.CreateDirectory(_root);
        if (!OperatingSystem.IsWindows())
        {
            // Owner only, as mktemp -d makes it: as root, the service lets the postgres account pass through.
            File.SetUnixFileMode(_root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var options = new EmbeddedPostgresOptions
        {
            DataDirectory = Path.Combine(_root, "postgres"),
            Port = FreePort(),
            SharedBuffers = "32MB",
            MaxWalSize = "256MB",
        };
        var postgres = new EmbeddedPostgres(options, NullLogger<EmbeddedPostgres>.Instance);
        await postgres.StartAsync(CancellationToken.None);
        try
        {
            Assert.True(File.Exists(Path.Combine(options.DataDirectory, "PG_VERSION")));
            await using var connection = new NpgsqlConnection(postgres.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT current_database(), current_setting('server_encoding'), current_setting('shared_buffers')", connection);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal("cables", reader.GetString(0));
            Assert.Equal("UTF8", reader.GetString(1));
            Assert.Equal("32MB", reader.GetString(2));
        }
        finally
        {
            await postgres.StopAsync(CancellationToken.None);
        }

        NpgsqlConnection.ClearAllPools();
        await using var afterStop = new NpgsqlConnection(postgres.ConnectionString);
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => afterStop.OpenAsync());

        // A second start reuses the initialised folder.
        await postgres.StartAsync(CancellationToken.None);
        await postgres.StopAsync(CancellationToken.None);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
