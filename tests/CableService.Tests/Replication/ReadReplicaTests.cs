using CableService.Database;
using Grpc.Health.V1;

namespace CableService.Tests.Replication;

public sealed class ReadReplicaTests(ReplicatedService service) : IClassFixture<ReplicatedService>
{
    [Fact]
    public async Task Cables_ingested_through_one_instance_stream_from_the_standby_through_another()
    {
        var onPrimary = await service.Writer.Client.StreamAllAsync(new Api.StreamCablesRequest());
        await service.Standby.WaitForReplayOfAsync(service.Primary, TimeSpan.FromSeconds(30));

        var fromStandby = await service.Reader.Client.StreamAllAsync(new Api.StreamCablesRequest());

        Assert.NotEmpty(service.Ingested);
        Assert.Equal(onPrimary.Select(r => r.Cable.ReferenceId), fromStandby.Select(r => r.Cable.ReferenceId));
        Assert.Equal(service.Ingested, fromStandby.Select(r => r.Cable.ReferenceId).Order(StringComparer.Ordinal));
        var health = new Health.HealthClient(service.Reader.Channel);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new() { Service = ReadDatabaseHealthCheck.Name })).Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new() { Service = "readiness" })).Status);
    }

    [Fact]
    public async Task A_call_that_must_see_its_own_writes_asks_for_the_primary()
    {
        var cable = Corpus.Sample(1).First(t => !service.Ingested.Contains(t.ReferenceId) && t.File.EndsWith(".txt", StringComparison.Ordinal));
        await service.Standby.ExecuteAsync("SELECT pg_wal_replay_pause()", ReplicatedService.Database);
        try
        {
            var ingested = await service.Writer.Client.IngestCableAsync(Ingestion.Telegram(cable.Path));
            Assert.Equal(Api.IngestOutcome.Created, ingested.Outcome);
            var request = new Api.GetCableRequest { ReferenceId = ingested.ReferenceId };

            var fromStandby = await Assert.ThrowsAsync<RpcException>(() => service.Reader.Client.GetCableAsync(request).ResponseAsync);
            var fromPrimary = await service.Reader.Client.GetCableAsync(request, ReplicatedService.FromPrimary);
            var counted = await service.Reader.Client.CountCablesAsync(new Api.CountCablesRequest(), ReplicatedService.FromPrimary);

            Assert.Equal(StatusCode.NotFound, fromStandby.StatusCode);
            Assert.Equal(ingested.ReferenceId, fromPrimary.ReferenceId);
            Assert.Equal((await service.Writer.Client.CountCablesAsync(new Api.CountCablesRequest())).Count, counted.Count);
        }
        finally
        {
            await service.Standby.ExecuteAsync("SELECT pg_wal_replay_resume()", ReplicatedService.Database);
        }

        await service.Standby.WaitForReplayOfAsync(service.Primary, TimeSpan.FromSeconds(30));
        Assert.Equal(cable.ReferenceId, (await service.Reader.Client.GetCableAsync(new Api.GetCableRequest { ReferenceId = cable.ReferenceId })).ReferenceId);
    }
}
