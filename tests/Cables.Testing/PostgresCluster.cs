using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Cables.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster of a test's own, for what a shared server cannot be put through: standbys, stops and
/// crashes. initdb and pg_ctl from the installed server binaries, on a free loopback port, data under the temporary
/// folder, removed on dispose. As root the binaries run as the <c>postgres</c> account.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private static readonly string s_binDirectory = FindBinDirectory();
    private static readonly string? s_runAs = Environment.IsPrivilegedProcess ? "postgres" : null;

    private PostgresCluster(string dataDirectory, int port)
    {
        DataDirectory = dataDirectory;
        Port = port;
    }

    public string DataDirectory { get; }

    public int Port { get; }

    /// <summary>The <c>Host:Port</c> of a multi-host connection string.</summary>
    public string HostAndPort => $"127.0.0.1:{Port}";

    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database }.ConnectionString;

    /// <summary>A new cluster, started, ready for streaming replication.</summary>
    public static async Task<PostgresCluster> StartNewAsync()
    {
        var cluster = new PostgresCluster(NewDataDirectory(), FreePort());
        await cluster.RunAsync("initdb", "-D", cluster.DataDirectory, "-U", "postgres", "-E", "UTF8", "--locale=C", "--auth=trust");
        await cluster.StartAsync();
        return cluster;
    }

    /// <summary>A streaming standby of this cluster (<c>pg_basebackup -R</c>), started.</summary>
    public async Task<PostgresCluster> StartStandbyAsync()
    {
        var standby = new PostgresCluster(NewDataDirectory(), FreePort());
        await RunAsync("pg_basebackup", "-h", "127.0.0.1", "-p", Port.ToString(), "-U", "postgres", "-D", standby.DataDirectory, "-R", "-X", "stream", "-c", "fast");
        await standby.StartAsync();
        return standby;
    }

    public Task StartAsync() => RunAsync(
        "pg_ctl", "-D", DataDirectory, "-l", Path.Combine(DataDirectory, "server.log"), "-w", "-o",
        $"-c port={Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={DataDirectory} -c fsync=off -c max_connections=100 -c wal_level=replica",
        "start");

    /// <summary>pg_ctl stop: <c>fast</c> as an operator would, <c>immediate</c> as a crash does.</summary>
    public Task StopAsync(string mode = "fast") => RunAsync("pg_ctl", "-D", DataDirectory, "-m", mode, "-w", "stop");

    /// <summary>Waits until this standby has replayed everything its primary had written when called.</summary>
    public async Task WaitForReplayOfAsync(PostgresCluster primary, TimeSpan timeout)
    {
        string lsn;
        await using (var connection = new NpgsqlConnection(primary.ConnectionString()))
        {
            await connection.OpenAsync();
            await using var current = new NpgsqlCommand("SELECT pg_current_wal_lsn()::text", connection);
            lsn = (string)(await current.ExecuteScalarAsync())!;
        }

        await using var standby = new NpgsqlConnection(ConnectionString());
        await standby.OpenAsync();
        await using var replayed = new NpgsqlCommand("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn", standby) { Parameters = { new() { Value = lsn } } };
        var deadline = DateTime.UtcNow + timeout;
        while (!(bool)(await replayed.ExecuteScalarAsync())!)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the standby on port {Port} did not replay up to {lsn} within {timeout}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Runs one statement on this cluster's database <paramref name="database"/>.</summary>
    public async Task ExecuteAsync(string sql, string database = "postgres")
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            await RunAsync("pg_ctl", "-D", DataDirectory, "-m", "immediate", "-w", "stop");
        }

        NpgsqlConnection.ClearAllPools();
        Directory.Delete(DataDirectory, recursive: true);
    }

    private static string NewDataDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "cables-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        if (s_runAs is not null)
        {
            Run("chown", s_runAs, directory);
        }

        return directory;
    }

    /// <summary>A loopback port free when asked; the cluster binds it a moment later.</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task RunAsync(string tool, params string[] arguments)
    {
        var path = Path.Combine(s_binDirectory, tool);
        var (fileName, all) = s_runAs is null ? (path, arguments) : ("runuser", ["-u", s_runAs, "--", path, .. arguments]);
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in all)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            var log = Path.Combine(DataDirectory, "server.log");
            var tail = File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(10)) : "";
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await error}\n{tail}");
        }
    }

    private static void Run(string fileName, params string[] arguments)
    {
        using var process = Process.Start(fileName, arguments);
        process.WaitForExit();
    }

    /// <summary>
    /// The folder with initdb and pg_basebackup, on PATH or the newest of Debian's /usr/lib/postgresql/*/bin. Not
    /// EmbeddedPostgres' lookup: pg_virtualenv puts initdb and pg_ctl wrappers on PATH without pg_basebackup beside them.
    /// </summary>
    private static string FindBinDirectory()
    {
        static bool HasTools(string directory) => File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_basebackup"));

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(HasTools);
        return onPath ?? (Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(HasTools).OrderByDescending(d => d, StringComparer.Ordinal).FirstOrDefault()
            : null) ?? throw new InvalidOperationException("PostgreSQL's server binaries (initdb, pg_ctl, pg_basebackup) are not installed: run ./run.sh --install-only");
    }
}
