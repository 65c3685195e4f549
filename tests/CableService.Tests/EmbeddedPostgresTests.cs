using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
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
        var options = Options();
        var postgres = new EmbeddedPostgres(Microsoft.Extensions.Options.Options.Create(options), NullLogger<EmbeddedPostgres>.Instance);
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

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task A_data_directory_behind_a_folder_closed_to_the_server_account_is_refused_and_no_permission_changes()
    {
        Directory.CreateDirectory(_root);
        // Owner only, as mktemp -d makes it.
        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        File.SetUnixFileMode(_root, OwnerOnly);
        var postgres = new EmbeddedPostgres(Microsoft.Extensions.Options.Options.Create(Options()), NullLogger<EmbeddedPostgres>.Instance);

        if (Environment.IsPrivilegedProcess)
        {
            // As root the server runs as the postgres account, which cannot enter the folder.
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => postgres.StartAsync(CancellationToken.None));
            Assert.Contains($"{_root} is closed to it", refused.Message, StringComparison.Ordinal);
            Assert.Contains("Cables:EmbeddedPostgres:DataDirectory", refused.Message, StringComparison.Ordinal);
        }
        else
        {
            // Without root the server runs as this account, which owns the folder.
            await postgres.StartAsync(CancellationToken.None);
            await postgres.StopAsync(CancellationToken.None);
        }

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(_root));
    }

    private EmbeddedPostgresOptions Options() => new()
    {
        DataDirectory = Path.Combine(_root, "postgres"),
        Port = FreePort(),
        SharedBuffers = "32MB",
        MaxWalSize = "256MB",
    };

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
