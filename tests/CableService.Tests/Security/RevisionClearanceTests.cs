namespace CableService.Tests.Security;

public sealed class RevisionClearanceTests(SecuredService service) : IClassFixture<SecuredService>
{
    private const string Id = "08BRUSSELS1995";

    [Fact]
    public async Task A_version_above_the_readers_clearance_is_left_out_even_while_the_current_one_is_visible()
    {
        var secret = SecuredService.SecretText().Replace("001990", "001995", StringComparison.Ordinal).Replace("#1990/01", "#1995/01", StringComparison.Ordinal);
        foreach (var (text, outcome) in new[]
        {
            (SecuredService.UnclassifiedText("1995"), Api.IngestOutcome.Created),
            (secret, Api.IngestOutcome.Revised),
            (SecuredService.UnclassifiedText("1995", "\nA THIRD TEXT\n"), Api.IngestOutcome.Revised),
        })
        {
            Assert.Equal(outcome, (await service.Client.IngestCableAsync(new Api.IngestCableRequest { RawText = text })).Outcome);
        }

        var reader = service.ClientWith(service.Tokens.Token("cables.read", "confidential"));
        var listed = await reader.ListCableRevisionsAsync(new Api.ListCableRevisionsRequest { ReferenceId = Id });
        Assert.Equal([3, 1], listed.Revisions.Select(r => r.Revision));
        var everything = await service.Client.ListCableRevisionsAsync(new Api.ListCableRevisionsRequest { ReferenceId = Id });
        Assert.Equal([3, 2, 1], everything.Revisions.Select(r => r.Revision));

        // The hidden version answers exactly as a version the cable does not have.
        var hidden = await Assert.ThrowsAsync<RpcException>(() => reader.GetCableAsync(new Api.GetCableRequest { ReferenceId = Id, Revision = 2 }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, hidden.StatusCode);
        Assert.Equal("REVISION_NOT_FOUND", hidden.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Reason);
        var compared = await Assert.ThrowsAsync<RpcException>(() => reader.DiffCableRevisionsAsync(new Api.DiffCableRevisionsRequest { ReferenceId = Id, FromRevision = 1, ToRevision = 2 }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, compared.StatusCode);
        var diff = await reader.DiffCableRevisionsAsync(new Api.DiffCableRevisionsRequest { ReferenceId = Id, FromRevision = 1, ToRevision = 3 });
        Assert.Contains(diff.Hunks.SelectMany(h => h.Lines), l => l.Kind == Api.DiffLineKind.Inserted && l.Text == "A THIRD TEXT");
    }

    [Fact]
    public async Task The_history_of_a_cable_above_the_reader_reads_as_that_of_an_unknown_id()
    {
        var reader = service.ClientWith(service.Tokens.Token("cables.read", "confidential"));
        await SecuredService.AssertHiddenAsMissingAsync(id => reader.ListCableRevisionsAsync(new Api.ListCableRevisionsRequest { ReferenceId = id }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => reader.DiffCableRevisionsAsync(new Api.DiffCableRevisionsRequest { ReferenceId = SecuredService.SecretId }).ResponseAsync)).StatusCode);
    }
}
