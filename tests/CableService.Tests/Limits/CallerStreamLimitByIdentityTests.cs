using CableService.Errors;
using CableService.Tests.Security;

namespace CableService.Tests.Limits;

/// <summary>
/// With authentication on, <c>Cables:Grpc:MaxStreamsPerCaller</c> counts an authenticated caller's streams by its
/// subject, whatever address or connection they come from (the open service counts by address: <see cref="EdgeLimitsTests"/>).
/// </summary>
public sealed class CallerStreamLimitByIdentityTests(OneStreamPerCallerService service) : IClassFixture<OneStreamPerCallerService>
{
    [Fact]
    public async Task Two_subjects_from_one_address_each_have_a_limit_of_their_own()
    {
        var alice = service.ClientWith(Writer("alice"));
        var bob = service.ClientWith(Writer("bob"));
        using var held = await HoldStreamAsync(alice, "alice");

        using var bobs = await HoldStreamAsync(bob, "bob");

        AssertRefused(await Assert.ThrowsAsync<RpcException>(() => alice.StreamAllAsync(new Api.StreamCablesRequest())));
        await CloseAsync(bobs);
        await CloseAsync(held);
    }

    [Fact]
    public async Task One_subject_over_two_connections_shares_one_limit()
    {
        var first = service.ClientWith(Writer("carol"));
        var (channel, second) = service.OnNewConnection(Writer("carol"));
        using (channel)
        {
            using var held = await HoldStreamAsync(first, "carol");

            AssertRefused(await Assert.ThrowsAsync<RpcException>(() => second.StreamAllAsync(new Api.StreamCablesRequest())));

            await CloseAsync(held);
            Assert.NotEmpty(await FreedStreamSlot.CallAsync(() => second.StreamAllAsync(new Api.StreamCablesRequest())));
        }
    }

    private string Writer(string subject) =>
        service.Tokens.Token("cables.read cables.ingest", "top_secret", Cables.Testing.TestTokenIssuer.EveryControl, subject: subject);

    /// <summary>An IngestCables stream the service has answered once, so it is open there, and stays open.</summary>
    private static async Task<AsyncDuplexStreamingCall<Api.IngestCableRequest, Api.IngestCableResponse>> HoldStreamAsync(Api.CableArchive.CableArchiveClient client, string item)
    {
        var call = client.IngestCables();
        await call.RequestStream.WriteAsync(new Api.IngestCableRequest { ClientItemId = item, RawText = File.ReadAllText(Corpus.SeedPath) });
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.NotEqual(Api.IngestOutcome.Rejected, call.ResponseStream.Current.Outcome);
        return call;
    }

    private static async Task CloseAsync(AsyncDuplexStreamingCall<Api.IngestCableRequest, Api.IngestCableResponse> call)
    {
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext());
    }

    private static void AssertRefused(RpcException error)
    {
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(CallerStreamLimit.Reason, error.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        Assert.NotNull(error.GetRpcStatus()!.GetDetail<RetryInfo>());
    }
}
