namespace CableService.Tests.Security;

public sealed class QuotaTests(QuotaService service) : IClassFixture<QuotaService>
{
    [Fact]
    public async Task A_caller_past_its_full_text_quota_is_resource_exhausted_with_retry_info_and_other_callers_are_not()
    {
        var alice = service.ClientWith(service.Tokens.Token("cables.read", "top_secret", subject: "alice"));
        var bob = service.ClientWith(service.Tokens.Token("cables.read", "top_secret", subject: "bob"));
        var text = new Api.CountCablesRequest { Filter = new Api.CableFilter { Text = "Lavrov" } };

        await alice.CountCablesAsync(text);
        await alice.CountCablesAsync(text);
        // Calls without full text are not counted.
        await alice.CountCablesAsync(new Api.CountCablesRequest());
        var refused = await Assert.ThrowsAsync<RpcException>(() => alice.CountCablesAsync(text).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        var status = refused.GetRpcStatus()!;
        Assert.Equal("FULL_TEXT_QUOTA_EXCEEDED", status.GetDetail<ErrorInfo>().Reason);
        Assert.True(status.GetDetail<RetryInfo>().RetryDelay.ToTimeSpan() > TimeSpan.Zero);
        await bob.CountCablesAsync(text);
    }
}
