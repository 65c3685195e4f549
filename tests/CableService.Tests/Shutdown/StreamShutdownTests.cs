using Cables.Api.V1;
using CableService.Operations;
using Xunit.Abstractions;

namespace CableService.Tests.Shutdown;

[Collection(OperationsTestGroup.Name)]
public sealed class StreamShutdownTests(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    // Enough FULL cables (several MB) that the stream cannot have been written out before the host stops.
    private const int CableCount = 300;

    [Fact]
    public async Task A_stream_cut_by_shutdown_resumes_on_another_host_with_nothing_lost_or_repeated()
    {
        var request = new StreamCablesRequest { View = CableView.Full };
        var received = new List<string>();
        List<string> expected;
        string resumeToken;

        var first = await TestServiceHost.StartAsync(database.ConnectionString);
        await using (first)
        {
            var client = first.Client;
            var ingested = await client.IngestAllAsync(TestCables.Requests(CableCount));
            Assert.Equal(CableCount, ingested.Count);
            Assert.All(ingested.Values, response => Assert.Equal(IngestOutcome.Created, response.Outcome));
            expected = await client.StreamCables(request).ResponseStream.ReadAllAsync().Select(r => r.Cable.ReferenceId).ToListAsync();
            Assert.Equal(CableCount, expected.Count);

            using var call = client.StreamCables(request);
            var lastToken = "";
            while (received.Count < 10 && await call.ResponseStream.MoveNext())
            {
                received.Add(call.ResponseStream.Current.Cable.ReferenceId);
                lastToken = call.ResponseStream.Current.ResumeToken;
            }

            // SIGTERM: the host stops while the client is still reading.
            var stopping = first.StopAsync();
            var error = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                while (await call.ResponseStream.MoveNext())
                {
                    received.Add(call.ResponseStream.Current.Cable.ReferenceId);
                    lastToken = call.ResponseStream.Current.ResumeToken;
                }
            });
            await stopping;

            Assert.True(error.StatusCode == StatusCode.Unavailable, $"expected UNAVAILABLE, got {error.Status}");
            var info = error.GetRpcStatus()?.GetDetail<ErrorInfo>();
            Assert.True(info is not null, $"no ErrorInfo in {error.Status}");
            Assert.Equal(ShutdownSignal.Reason, info.Reason);
            resumeToken = info.Metadata[ShutdownSignal.ResumeTokenKey];
            Assert.Equal(lastToken, resumeToken);
            Assert.Equal(resumeToken, error.Trailers.GetValue(ShutdownSignal.ResumeTokenTrailer));
            Assert.InRange(received.Count, 10, CableCount - 1);
            output.WriteLine($"the stream was cut after {received.Count} of {CableCount} cables");
        }

        await using var second = await TestServiceHost.StartAsync(database.ConnectionString);
        var resumed = second.Client.StreamCables(new StreamCablesRequest(request) { ResumeToken = resumeToken });
        received.AddRange(await resumed.ResponseStream.ReadAllAsync().Select(r => r.Cable.ReferenceId).ToListAsync());

        Assert.Equal(expected, received);
    }
}
