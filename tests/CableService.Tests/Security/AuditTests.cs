namespace CableService.Tests.Security;

public sealed class AuditTests(AuditedService service) : IClassFixture<AuditedService>
{
    [Fact]
    public async Task Each_call_and_each_refusal_is_one_audit_event_with_caller_filter_and_levels_and_no_cable_text()
    {
        var reader = service.ClientWith(service.Tokens.Token("cables.read", "secret", "NOFORN", subject: "auditor-case"));
        var longText = new string('x', 200);
        await reader.StreamAllAsync(new Api.StreamCablesRequest { Filter = new Api.CableFilter { AllTags = { "PREL" } } });
        await reader.CountCablesAsync(new Api.CountCablesRequest { Filter = new Api.CableFilter { Text = longText } });
        await Assert.ThrowsAsync<RpcException>(() => service.Anonymous.CountCablesAsync(new Api.CountCablesRequest()).ResponseAsync);

        var mine = service.Audit.Events.Where(e => e.Contains("auditor-case", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, mine.Count);
        var stream = Assert.Single(mine, e => e.Contains("/cables.v1.CableArchive/StreamCables", StringComparison.Ordinal));
        Assert.Contains("all_tags=PREL", stream, StringComparison.Ordinal);
        Assert.Contains("Confidential", stream, StringComparison.Ordinal); // the seed, by level
        Assert.Contains("Secret", stream, StringComparison.Ordinal);
        var count = Assert.Single(mine, e => e.Contains("/cables.v1.CableArchive/CountCables", StringComparison.Ordinal));
        Assert.DoesNotContain(longText, count, StringComparison.Ordinal);
        Assert.Contains(new string('x', 40) + "…", count, StringComparison.Ordinal);
        Assert.Contains(service.Audit.Events, e => e.StartsWith("Denied /cables.v1.CableArchive/CountCables to anonymous", StringComparison.Ordinal));
        Assert.DoesNotContain(service.Audit.Events, e => e.Contains("Lavrov", StringComparison.Ordinal));
    }
}
