using Cables.Cli.Tests.Processes;
using Cables.Storage;
using Npgsql;

namespace Cables.Cli.Tests.Chaos;

/// <summary>
/// An ingest through a fault ends with the tables a clean ingest of the same inputs leaves (<see cref="CleanRun"/>): the
/// same ids, hashes, revisions and citation rows. Faults: PostgreSQL stopped <c>-m immediate</c> and restarted; the
/// service killed with SIGKILL and restarted; cablectl killed with SIGKILL and resumed.
/// </summary>
public sealed class ChaosTests(CleanRun clean) : IClassFixture<CleanRun>
{
    [Fact]
    public async Task An_ingest_through_a_postgresql_crash_and_restart_leaves_the_tables_of_a_clean_run()
    {
        await using var cluster = await PostgresCluster.StartNewAsync();
        var connectionString = await CreateDatabaseAsync(cluster.ConnectionString(), "chaos");
        var fault = new FaultAfter(150, async () =>
        {
            await cluster.StopAsync("immediate");
            await Task.Delay(TimeSpan.FromSeconds(1));
            await cluster.StartAsync();
        });

        await using (var host = await TestServiceHost.StartAsync(connectionString))
        {
            var counters = await CleanRun.IngestAsync(host.Address, fault);
            await fault.Done.WaitAsync(TimeSpan.FromMinutes(1));
            Assert.True(counters.Reconnects >= 1, "the client saw the database go away");
        }

        Assert.Equal(clean.Snapshot, await TableSnapshot.TakeAsync(connectionString));
    }

    [Fact]
    public async Task An_ingest_through_a_killed_and_restarted_service_leaves_the_tables_of_a_clean_run()
    {
        var database = new TestDatabase();
        await database.InitializeAsync();
        try
        {
            using var service = new ServiceProcess(database.ConnectionString);
            await service.StartAsync();
            var fault = new FaultAfter(150, async () =>
            {
                await service.KillAsync();
                await Task.Delay(TimeSpan.FromSeconds(1));
                await service.StartAsync();
            });

            var counters = await CleanRun.IngestAsync(service.Address, fault);
            await fault.Done.WaitAsync(TimeSpan.FromMinutes(1));

            Assert.True(counters.Reconnects >= 1, "the client saw the service go away");
            Assert.Equal(clean.Snapshot, await TableSnapshot.TakeAsync(database.ConnectionString));
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_ingest_by_a_cablectl_killed_three_times_and_resumed_leaves_the_tables_of_a_clean_run()
    {
        var folder = Directory.CreateTempSubdirectory("cablectl-chaos-").FullName;
        var database = new TestDatabase();
        await database.InitializeAsync();
        try
        {
            await using var host = await TestServiceHost.StartAsync(database.ConnectionString);
            var state = Path.Combine(folder, "state");
            string[] args = ["ingest", .. CleanRun.Inputs, "--server", host.Address.ToString(), "--resume", state, "--rejects", Path.Combine(folder, "rejects.jsonl"), "--allow-rejects"];
            var random = new Random();
            for (var kill = 0; kill < 3; kill++)
            {
                var before = await database.ScalarAsync("SELECT count(*) FROM cables");
                using var cablectl = CablectlProcess.Start(args);
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (await database.ScalarAsync("SELECT count(*) FROM cables") <= before && !cablectl.HasExited)
                {
                    Assert.True(DateTime.UtcNow < deadline, $"kill {kill}: nothing stored within 60 s; stderr: {cablectl.Error}");
                    await Task.Delay(50);
                }

                await Task.Delay(random.Next(0, 300));
                Assert.False(cablectl.HasExited, $"kill {kill}: the job ended before it was killed; stderr: {cablectl.Error}");
                cablectl.Kill();
                await cablectl.WaitForExitAsync(TimeSpan.FromSeconds(10));
            }

            using (var last = CablectlProcess.Start(args))
            {
                Assert.True(await last.WaitForExitAsync(TimeSpan.FromMinutes(3)) == 0, last.Error);
            }

            Assert.Equal(clean.Snapshot, await TableSnapshot.TakeAsync(database.ConnectionString));
        }
        finally
        {
            await database.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<string> CreateDatabaseAsync(string server, string name)
    {
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        await CableStorageSetup.MigrateAsync(connectionString, CancellationToken.None);
        return connectionString;
    }
}
