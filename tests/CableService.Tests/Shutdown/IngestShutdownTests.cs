using Cables.Api.V1;
using Cables.Testing;
using CableService.Operations;
using Google.Rpc;
using Grpc.Core;
using Npgsql;

namespace CableService.Tests.Shutdown;

[Collection(OperationsTestGroup.Name)]
public sealed class IngestShutdownTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const int CableCount = 200;

    [Fact]
    public async Task An_ingest_stream_cut_by_shutdown_answers_every_item_it_committed_and_the_client_sends_the_rest_again()
    {
        var requests = TestCables.Requests(CableCount);
        var answered = new Dictionary<string, IngestOutcome>();

        var first = await TestServiceHost.StartAsync(database.ConnectionString);
        await using (first)
        {
            using var call = new Cables.Api.V1.Cables.CablesClient(first.Channel).IngestCables();
            foreach (var request in requests.Take(CableCount / 2))
            {
                await call.RequestStream.WriteAsync(request);
            }

            while (answered.Count < CableCount / 2 && await call.ResponseStream.MoveNext())
            {
                answered.Add(call.ResponseStream.Current.ClientItemId, call.ResponseStream.Current.Outcome);
            }

            // SIGTERM while the client goes on sending the second half.
            var stopping = first.StopAsync();
            var sending = SendAsync(call.RequestStream, requests.Skip(CableCount / 2));
            var error = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                while (await call.ResponseStream.MoveNext())
                {
                    answered.Add(call.ResponseStream.Current.ClientItemId, call.ResponseStream.Current.Outcome);
                }
            });
            await sending;
            await stopping;

            Assert.Equal(StatusCode.Unavailable, error.StatusCode);
            Assert.Equal(ShutdownSignal.Reason, error.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason);
        }

        Assert.All(answered.Values, outcome => Assert.Equal(IngestOutcome.Created, outcome));
        Assert.Equal(answered.Count, await CountStoredAsync());

        // The client sends again what was not answered. Created, not Unchanged: nothing was committed unanswered.
        await using var second = await TestServiceHost.StartAsync(database.ConnectionString);
        using (var retry = new Cables.Api.V1.Cables.CablesClient(second.Channel).IngestCables())
        {
            var unanswered = requests.Where(r => !answered.ContainsKey(r.ClientItemId)).ToList();
            await SendAsync(retry.RequestStream, unanswered);
            var outcomes = await retry.ResponseStream.ReadAllAsync().Select(r => r.Outcome).ToListAsync();
            Assert.Equal(Enumerable.Repeat(IngestOutcome.Created, unanswered.Count), outcomes);
        }

        Assert.Equal(CableCount, await CountStoredAsync());
    }

    /// <summary>Sends the items and completes; stops quietly when the call has ended under it (the server stopped reading).</summary>
    private static async Task SendAsync(IClientStreamWriter<IngestCableRequest> stream, IEnumerable<IngestCableRequest> requests)
    {
        try
        {
            foreach (var request in requests)
            {
                await stream.WriteAsync(request);
            }

            await stream.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException)
        {
        }
    }

    private async Task<long> CountStoredAsync()
    {
        await using var command = database.DataSource.CreateCommand("SELECT count(*) FROM cables");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
