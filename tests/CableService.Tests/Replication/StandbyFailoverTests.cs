using CableService.Database;
using Grpc.Health.V1;

namespace CableService.Tests.Replication;

public sealed class StandbyFailoverTests(ReplicatedService service) : IClassFixture<ReplicatedService>
{
    [Fact]
    public async Task A_stream_cut_by_the_standby_dying_resumes_on_the_primary_with_no_gap_and_no_duplicate()
    {
        var expected = (await service.Writer.Client.StreamAllAsync(new Api.StreamCablesRequest())).Select(r => r.Cable.ReferenceId).ToList();
        var received = new List<string>();
        var request = new Api.StreamCablesRequest { View = Api.CableView.Full };
        var resumes = 0;

        // As a client does: read, and after UNAVAILABLE call again with the last token it holds.
        while (true)
        {
            try
            {
                using var call = service.Reader.Client.StreamCables(request);
                await foreach (var response in call.ResponseStream.ReadAllAsync())
                {
                    received.Add(response.Cable.ReferenceId);
                    request.ResumeToken = response.ResumeToken;
                    if (received.Count == 10)
                    {
                        await service.Standby.StopAsync("immediate");
                    }
                }

                break;
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable && ++resumes <= 5)
            {
                await Task.Delay(100);
            }
        }

        // The service holds at most two FULL chunks when the standby dies: the rest must come from the primary.
        Assert.True(expected.Count > 3 * Cables.Storage.CableStore.DefaultFullChunkSize, $"{expected.Count} cables: too few to outlast the standby");
        Assert.Equal(expected, received);
        var health = new Health.HealthClient(service.Reader.Channel);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new() { Service = ReadDatabaseHealthCheck.Name })).Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new() { Service = "readiness" })).Status);
    }
}
