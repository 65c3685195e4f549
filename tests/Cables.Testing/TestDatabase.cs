using Cables.Storage;
using DotNet.Testcontainers.Builders;
using Npgsql;
using Testcontainers.PostgreSql;
using Xunit;

namespace Cables.Testing;

/// <summary>
/// A fresh database <c>cables_test_&lt;random&gt;</c> with the schema migrated, dropped on dispose. Use it as an xunit
/// class fixture (<c>IClassFixture&lt;TestDatabase&gt;</c>) so every test class gets its own.
/// The server comes from, in order: <c>CABLES_TEST_DATABASE</c> (a connection string); the <c>PG*</c> variables that
/// <c>pg_virtualenv</c> sets (database <c>postgres</c>); a Testcontainers PostgreSQL when a Docker engine answers.
/// Without any of them it throws: these tests never skip.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    private static readonly Lazy<Task<string>> s_server = new(LocateServerAsync);
    private static PostgreSqlContainer? s_container;

    private NpgsqlDataSource? _dataSource;

    /// <summary>The database's own name.</summary>
    public string Name { get; } = "cables_test_" + Guid.NewGuid().ToString("N")[..12];

    public string ConnectionString { get; private set; } = "";

    /// <summary>A pool on this database; disposed with it.</summary>
    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("TestDatabase is not initialised.");

    public async Task InitializeAsync()
    {
        var server = await s_server.Value;
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{Name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = Name }.ConnectionString;
        await CableStorageSetup.MigrateAsync(ConnectionString, CancellationToken.None);
        _dataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        // WITH (FORCE) ends any session still connected (a pool the test made itself, a stream left open).
        await using var admin = new NpgsqlConnection(await s_server.Value);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>A store over this database's pool.</summary>
    public CableStore CreateStore(
        int chunkSize = CableStore.DefaultChunkSize, int firstChunkSize = CableStore.DefaultFirstChunkSize, int keyChunkSize = CableStore.DefaultKeyChunkSize) =>
        new(DataSource)
        {
            ChunkSize = chunkSize,
            FullChunkSize = Math.Min(chunkSize, CableStore.DefaultFullChunkSize),
            FirstChunkSize = firstChunkSize,
            KeyChunkSize = keyChunkSize,
        };

    /// <summary>Runs a statement of the test's own on this database: rows written by hand, as another writer would.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The single bigint a query of the test's own returns (a count, as a rule).</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The change-log horizon: every change committed before the call is below it.</summary>
    public Task<long> ChangeHorizonAsync() => CreateStore().GetChangeHorizonAsync(CancellationToken.None);

    /// <summary>Connection string of the server's maintenance database, where test databases are created and dropped.</summary>
    private static async Task<string> LocateServerAsync()
    {
        var configured = Environment.GetEnvironmentVariable("CABLES_TEST_DATABASE");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var host = Environment.GetEnvironmentVariable("PGHOST");
        if (!string.IsNullOrWhiteSpace(host))
        {
            var builder = new NpgsqlConnectionStringBuilder { Host = host, Database = "postgres" };
            if (int.TryParse(Environment.GetEnvironmentVariable("PGPORT"), out var port))
            {
                builder.Port = port;
            }

            builder.Username = Environment.GetEnvironmentVariable("PGUSER") ?? Environment.UserName;
            builder.Password = Environment.GetEnvironmentVariable("PGPASSWORD");
            return builder.ConnectionString;
        }

        return await StartContainerAsync();
    }

    private static async Task<string> StartContainerAsync()
    {
        const string HowTo =
            "No PostgreSQL for the tests. Provide one of: CABLES_TEST_DATABASE=<Npgsql connection string to a server " +
            "where the user may CREATE DATABASE>; the PG* variables (run the tests under `pg_virtualenv dotnet test …` " +
            "or tests/run.sh); or a running Docker engine for Testcontainers.";
        try
        {
            // Build() fails at once when no Docker endpoint is found; the timeout bounds a daemon that hangs.
            var container = new PostgreSqlBuilder("postgres:15-alpine").Build();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await container.StartAsync(timeout.Token);
            s_container = container;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => s_container.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return new NpgsqlConnectionStringBuilder(container.GetConnectionString()) { Database = "postgres" }.ConnectionString;
        }
        catch (Exception e) when (e is DockerUnavailableException or OperationCanceledException or TimeoutException)
        {
            throw new InvalidOperationException(HowTo + " (Docker: " + e.Message + ")", e);
        }
    }
}
