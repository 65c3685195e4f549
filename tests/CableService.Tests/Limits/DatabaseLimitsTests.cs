using CableService.Database;
using Npgsql;

namespace CableService.Tests.Limits;

/// <summary>
/// The service holds a bounded share of PostgreSQL: a pool of <c>Cables:Database:MaxPoolSize</c>, reads and commits in
/// bounded queues of their own, and a full queue or a full server answered with a retryable status, never UNKNOWN.
/// </summary>
public sealed class DatabaseLimitsTests
{
    private static readonly IReadOnlyList<TruthCable> s_cables = [.. Corpus.Sample(100).Take(40)];

    [Fact]
    public async Task The_pool_size_and_idle_lifetime_come_from_configuration_over_the_connection_string()
    {
        await using var limited = await LimitedHost.StartAsync(
            new Dictionary<string, string?> { ["Cables:Database:MaxPoolSize"] = "7", ["Cables:Database:ConnectionIdleLifetime"] = "00:00:15", ["Cables:Database:MaxConcurrentReads"] = "4", ["Cables:Database:MaxConcurrentCommits"] = "2" },
            database => Task.FromResult(new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = 500 }.ConnectionString));

        var settings = new NpgsqlConnectionStringBuilder(limited.Host.Services.GetRequiredService<NpgsqlDataSource>().ConnectionString);

        Assert.Equal(7, settings.MaxPoolSize);
        Assert.Equal(15, settings.ConnectionIdleLifetime);
    }

    [Fact]
    public async Task A_flood_of_reads_never_opens_more_backends_than_the_pool_allows()
    {
        await using var limited = await LimitedHost.StartAsync(new Dictionary<string, string?>
        {
            ["Cables:Database:MaxPoolSize"] = "4",
            ["Cables:Database:MaxConcurrentReads"] = "3",
            ["Cables:Database:MaxConcurrentCommits"] = "1",
            ["Cables:Database:ReadQueueLimit"] = "1000",
            ["Cables:Ingest:SearchIndexWorkers"] = "0",
        });
        var name = limited.Database.Name;
        var most = 0L;
        using var done = new CancellationTokenSource();
        var watching = Task.Run(async () =>
        {
            await using var admin = NpgsqlDataSource.Create(limited.Database.ConnectionString);
            while (!done.IsCancellationRequested)
            {
                await using var command = admin.CreateCommand($"SELECT count(*) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()");
                most = Math.Max(most, (long)(await command.ExecuteScalarAsync())!);
                await Task.Delay(5);
            }
        });

        var calls = Enumerable.Range(0, 200).Select(_ => limited.Host.Client.CountCablesAsync(new Api.CountCablesRequest()).ResponseAsync).ToList();
        await Task.WhenAll(calls);
        await done.CancelAsync();
        await watching;

        Assert.All(calls, call => Assert.Equal(0, call.Result.Count));
        Assert.InRange(most, 1, 4 + 1); // the pool's four, and the test database's own idle pool connection
    }

    [Fact]
    public async Task A_full_read_queue_answers_resource_exhausted_with_retry_info_and_the_others_are_served()
    {
        await using var limited = await LimitedHost.StartAsync(new Dictionary<string, string?>
        {
            ["Cables:Database:MaxConcurrentReads"] = "1",
            ["Cables:Database:ReadQueueLimit"] = "0",
        });

        var statuses = await FloodUntilRefusedAsync(() => limited.Host.Client.CountCablesAsync(new Api.CountCablesRequest()).ResponseAsync);

        AssertRefusedAs(statuses, DatabaseAdmission.ReadQueueFull);
    }

    [Fact]
    public async Task A_full_commit_queue_answers_resource_exhausted_and_every_other_item_is_stored()
    {
        await using var limited = await LimitedHost.StartAsync(new Dictionary<string, string?>
        {
            ["Cables:Database:MaxConcurrentCommits"] = "1",
            ["Cables:Database:CommitQueueLimit"] = "0",
        });
        var created = new List<string>();

        var statuses = new List<RpcException?>();
        foreach (var round in s_cables.Chunk(20))
        {
            var calls = round.Select(cable => limited.Host.Client.IngestCableAsync(Ingestion.Identified(cable)).ResponseAsync).ToList();
            foreach (var call in calls)
            {
                try
                {
                    var response = await call;
                    Assert.True(response.Outcome == Api.IngestOutcome.Created, $"{response.Outcome} {response.Reason}: {response.Details}");
                    created.Add(response.ReferenceId);
                    statuses.Add(null);
                }
                catch (RpcException e)
                {
                    statuses.Add(e);
                }
            }
        }

        AssertRefusedAs(statuses, DatabaseAdmission.CommitQueueFull);
        var stored = await limited.Database.ScalarAsync("SELECT count(*) FROM cables");
        Assert.Equal(created.Count, stored);
    }

    [Fact]
    public async Task A_database_out_of_connection_slots_answers_unavailable_with_retry_info()
    {
        var role = "cables_limited_" + Guid.NewGuid().ToString("N")[..8];
        TestDatabase? database = null;
        var settings = new Dictionary<string, string?>
        {
            ["Cables:Database:MaxPoolSize"] = "8",
            ["Cables:Database:MaxConcurrentReads"] = "6",
            ["Cables:Database:MaxConcurrentCommits"] = "1",
            ["Cables:Database:ReadQueueLimit"] = "1000",
            ["Cables:Ingest:SearchIndexWorkers"] = "0",
            ["Cables:Ingest:IndexMergeDelay"] = "00:00:00",
        };
        var limited = await LimitedHost.StartAsync(settings, async db =>
        {
            database = db;
            // A role PostgreSQL lets hold one connection: the second is refused with 53300, as a full server refuses it.
            await db.ExecuteAsync($"""
                CREATE ROLE {role} LOGIN PASSWORD 'limited' CONNECTION LIMIT 1;
                GRANT USAGE ON SCHEMA public TO {role};
                GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role};
                """);
            return new NpgsqlConnectionStringBuilder(db.ConnectionString) { Username = role, Password = "limited" }.ConnectionString;
        });
        try
        {
            var statuses = await FloodUntilRefusedAsync(() => limited.Host.Client.CountCablesAsync(new Api.CountCablesRequest()).ResponseAsync, StatusCode.Unavailable);

            var refused = statuses.OfType<RpcException>().ToList();
            Assert.All(refused, e => Assert.Equal(StatusCode.Unavailable, e.StatusCode));
            var status = refused[0].GetRpcStatus()!;
            Assert.Equal("DATABASE_CONNECTIONS_EXHAUSTED", status.GetDetail<ErrorInfo>().Reason);
            Assert.NotNull(status.GetDetail<RetryInfo>());
        }
        finally
        {
            await limited.Host.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
            await database!.ExecuteAsync($"DROP OWNED BY {role}; DROP ROLE {role}");
            await database.DisposeAsync();
        }
    }

    /// <summary>
    /// Rounds of 64 calls at once until one is refused (a round rarely passes whole with one turn and no queue): the
    /// statuses, null for a call served.
    /// </summary>
    private static async Task<List<RpcException?>> FloodUntilRefusedAsync<T>(Func<Task<T>> call, StatusCode refusal = StatusCode.ResourceExhausted)
    {
        var statuses = new List<RpcException?>();
        for (var round = 0; round < 10 && !statuses.Exists(s => s?.StatusCode == refusal); round++)
        {
            var calls = Enumerable.Range(0, 64).Select(_ => call()).ToList();
            foreach (var pending in calls)
            {
                try
                {
                    await pending;
                    statuses.Add(null);
                }
                catch (RpcException e)
                {
                    statuses.Add(e);
                }
            }
        }

        return statuses;
    }

    private static void AssertRefusedAs(List<RpcException?> statuses, string reason)
    {
        var refused = statuses.OfType<RpcException>().ToList();
        Assert.NotEmpty(refused);
        Assert.Contains(statuses, s => s is null);
        Assert.All(refused, e =>
        {
            Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
            var status = e.GetRpcStatus()!;
            Assert.Equal(reason, status.GetDetail<ErrorInfo>().Reason);
            Assert.True(status.GetDetail<RetryInfo>().RetryDelay.ToTimeSpan() > TimeSpan.Zero);
        });
    }
}
