using System.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CableService.Database;

/// <summary>
/// A PostgreSQL cluster of the service's own, from the installed server binaries: initdb once (UTF8,
/// trust for local connections only), pg_ctl start with the tuned settings, wait until it answers,
/// create the database, pg_ctl stop at shutdown. As root the binaries run as the <c>postgres</c> account.
/// </summary>
public sealed class EmbeddedPostgres(IOptions<EmbeddedPostgresOptions> configured, ILogger<EmbeddedPostgres> logger)
{
    private readonly EmbeddedPostgresOptions _options = configured.Value;
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(60);
    private readonly string _dataDirectory = Path.GetFullPath(configured.Value.DataDirectory);
    private readonly string? _runAs = Environment.IsPrivilegedProcess ? configured.Value.RootRunsAs : null;
    private string _binDirectory = "";
    private bool _startedHere;

    public string DataDirectory => _dataDirectory;

    public string ConnectionString => _options.ConnectionString;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _binDirectory = FindBinDirectory(_options.BinDirectory);
        if (!File.Exists(Path.Combine(_dataDirectory, "PG_VERSION")))
        {
            await InitAsync(cancellationToken);
        }

        // pg_ctl status: 0 running, 3 not running (a stale postmaster.pid is handled by start).
        if ((await RunAsync("pg_ctl", ["-D", _dataDirectory, "status"], cancellationToken)).ExitCode == 0)
        {
            logger.LogInformation("PostgreSQL in {DataDirectory} is already running; using it", _dataDirectory);
        }
        else
        {
            logger.LogInformation("Starting PostgreSQL in {DataDirectory} on 127.0.0.1:{Port}", _dataDirectory, _options.Port);
            string[] serverOptions =
            [
                "-p", _options.Port.ToString(),
                "-c", "listen_addresses=127.0.0.1",
                "-c", $"unix_socket_directories={_dataDirectory}",
                "-c", $"shared_buffers={_options.SharedBuffers}",
                "-c", $"max_wal_size={_options.MaxWalSize}",
            ];
            var logFile = Path.Combine(_dataDirectory, "server.log");
            var start = await RunAsync(
                "pg_ctl",
                ["-D", _dataDirectory, "-l", logFile, "-w", "-t", ((int)s_readyTimeout.TotalSeconds).ToString(), "-o", ShellJoin(serverOptions), "start"],
                cancellationToken);
            if (start.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"pg_ctl start failed ({start.ExitCode}): {start.Output.Trim()}\n{Tail(logFile)}\n" +
                    $"Is port {_options.Port} taken? Set Cables:EmbeddedPostgres:Port, or give a connection string (CABLES_DATABASE).");
            }

            _startedHere = true;
        }

        await CreateDatabaseAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_startedHere)
        {
            return;
        }

        _startedHere = false;
        NpgsqlConnection.ClearAllPools();
        var stop = await RunAsync("pg_ctl", ["-D", _dataDirectory, "-m", "fast", "-w", "stop"], cancellationToken);
        if (stop.ExitCode != 0)
        {
            logger.LogWarning("pg_ctl stop failed ({ExitCode}): {Output}", stop.ExitCode, stop.Output);
        }
    }

    private async Task InitAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Creating a PostgreSQL cluster in {DataDirectory}", _dataDirectory);
        Directory.CreateDirectory(_dataDirectory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        if (_runAs is not null)
        {
            var chown = await RunProcessAsync("chown", ["-R", $"{_runAs}:", _dataDirectory], cancellationToken);
            if (chown.ExitCode != 0)
            {
                throw new InvalidOperationException($"chown of {_dataDirectory} to {_runAs} failed: {chown.Output.Trim()}");
            }

            await EnsureRunAsAccountReachesDataDirectoryAsync(cancellationToken);
        }

        var init = await RunAsync(
            "initdb",
            ["-D", _dataDirectory, "-U", "postgres", "-E", "UTF8", "--locale=C", "--auth-local=trust", "--auth-host=trust"],
            cancellationToken);
        if (init.ExitCode != 0)
        {
            var hint = _runAs is null ? "" : $" (run as the {_runAs} account)";
            throw new InvalidOperationException($"initdb failed ({init.ExitCode}){hint}: {init.Output.Trim()}");
        }
    }

    /// <summary>
    /// The account the server runs as must pass through every folder above the data directory. The service changes no
    /// permission outside its own data directory: when a folder above it is closed to that account, it names the
    /// folder and the fix, and stops.
    /// </summary>
    private async Task EnsureRunAsAccountReachesDataDirectoryAsync(CancellationToken cancellationToken)
    {
        if ((await RunProcessAsync("runuser", ["-u", _runAs!, "--", "test", "-x", _dataDirectory], cancellationToken)).ExitCode == 0)
        {
            return;
        }

        var closed = Directory.GetParent(_dataDirectory)!;
        for (var folder = closed; folder is not null; folder = folder.Parent)
        {
            if ((await RunProcessAsync("runuser", ["-u", _runAs!, "--", "test", "-x", folder.FullName], cancellationToken)).ExitCode != 0)
            {
                closed = folder;
            }
        }

        throw new InvalidOperationException(
            $"The {_runAs} account, which runs the embedded PostgreSQL, cannot reach {_dataDirectory}: {closed.FullName} is closed to it. " +
            $"Set Cables:EmbeddedPostgres:DataDirectory to a folder it can reach (for example /var/lib/cables/postgres), " +
            $"open the folder to it yourself (chmod o+x {closed.FullName}), or give a connection string (CABLES_DATABASE).");
    }

    private async Task CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var admin = new NpgsqlConnectionStringBuilder(_options.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(admin);
        var deadline = DateTime.UtcNow + s_readyTimeout;
        while (true)
        {
            try
            {
                await connection.OpenAsync(cancellationToken);
                break;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                // Started but not yet accepting connections (recovery after an unclean stop).
                await Task.Delay(200, cancellationToken);
            }
        }

        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = _options.Database } } };
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            var quoted = "\"" + _options.Database.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted} ENCODING 'UTF8' TEMPLATE template0", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Runs a PostgreSQL binary, as <see cref="EmbeddedPostgresOptions.RootRunsAs"/> when this process is root.</summary>
    private Task<(int ExitCode, string Output)> RunAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_binDirectory, tool);
        return _runAs is null
            ? RunProcessAsync(path, arguments, cancellationToken)
            : RunProcessAsync("runuser", ["-u", _runAs, "--", path, .. arguments], cancellationToken);
    }

    private async Task<(int ExitCode, string Output)> RunProcessAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The postgres account may not be able to enter our current directory.
            WorkingDirectory = Directory.Exists(_dataDirectory) ? _dataDirectory : Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string FindBinDirectory(string? configured)
    {
        static bool HasTools(string directory) =>
            File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl"));

        if (!string.IsNullOrEmpty(configured))
        {
            return HasTools(configured) ? configured
                : throw new InvalidOperationException($"initdb and pg_ctl not found in Cables:EmbeddedPostgres:BinDirectory ({configured})");
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(HasTools);
        if (onPath is not null)
        {
            return onPath;
        }

        // Debian keeps the server binaries off PATH, one folder per major version: take the newest.
        const string debianRoot = "/usr/lib/postgresql";
        var versioned = Directory.Exists(debianRoot)
            ? Directory.GetDirectories(debianRoot)
                .Select(d => (Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0, Bin: Path.Combine(d, "bin")))
                .Where(d => HasTools(d.Bin))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Bin)
                .FirstOrDefault()
            : null;
        return versioned ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were found neither on PATH nor under /usr/lib/postgresql/*/bin. " +
            "Install PostgreSQL (e.g. apt-get install postgresql), or point the service at a database with the CABLES_DATABASE " +
            "environment variable or ConnectionStrings:Cables.");
    }

    /// <summary>pg_ctl hands -o to a shell: quote every word.</summary>
    private static string ShellJoin(IEnumerable<string> words) =>
        string.Join(' ', words.Select(w => "'" + w.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));

    private static string Tail(string logFile)
    {
        try
        {
            var lines = File.ReadAllLines(logFile);
            return string.Join('\n', lines.TakeLast(10));
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
