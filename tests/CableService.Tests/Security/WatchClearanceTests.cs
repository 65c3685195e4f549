using CableService.Tests.Watching;

namespace CableService.Tests.Security;

public sealed class WatchClearanceTests(SecuredService service) : IClassFixture<SecuredService>
{
    [Fact]
    public async Task A_watcher_receives_only_the_changes_its_clearance_allows_in_every_view()
    {
        var confidential = service.Tokens.Token("cables.read", "confidential");
        await using var basic = new WatchClient(service.ClientWith(confidential), WatchClient.FromNow());
        var full = WatchClient.FromNow();
        full.View = Api.CableView.Full;
        await using var fullWatch = new WatchClient(service.ClientWith(confidential), full);
        await using var cleared = new WatchClient(service.ClientWith(service.Tokens.Token("cables.read", "secret", "NOFORN")), WatchClient.FromNow());
        await Task.WhenAll(basic.UntilAsync(w => w.Received.Count > 0), fullWatch.UntilAsync(w => w.Received.Count > 0), cleared.UntilAsync(w => w.Received.Count > 0));

        // A SECRET NOFORN cable, then an unclassified one, then the secret one revised.
        var secret = SecuredService.SecretText().Replace("001990", "001996", StringComparison.Ordinal).Replace("#1990/01", "#1996/01", StringComparison.Ordinal);
        foreach (var text in new[] { secret, SecuredService.UnclassifiedText("1997"), secret + "\nREVISED\n" })
        {
            Assert.NotEqual(Api.IngestOutcome.Rejected, (await service.Client.IngestCableAsync(new Api.IngestCableRequest { RawText = text })).Outcome);
        }

        await cleared.ChangesAsync(3);
        await Task.WhenAll(basic.ChangesAsync(1), fullWatch.ChangesAsync(1));
        await basic.ForAsync(TimeSpan.FromMilliseconds(500));
        await fullWatch.ForAsync(TimeSpan.FromMilliseconds(500));

        Assert.Equal(["08BRUSSELS1996", "08BRUSSELS1997", "08BRUSSELS1996"], cleared.Changes.Select(c => c.Cable.ReferenceId));
        Assert.Equal(["08BRUSSELS1997"], basic.Changes.Select(c => c.Cable.ReferenceId));
        Assert.Equal(["08BRUSSELS1997"], fullWatch.Changes.Select(c => c.Cable.ReferenceId));
        Assert.NotEmpty(fullWatch.Changes.Single().Cable.RawText);
    }

    [Fact]
    public async Task A_change_whose_cable_was_since_revised_above_the_clearance_is_not_delivered()
    {
        var confidential = service.Tokens.Token("cables.read", "confidential");
        var secret = service.Tokens.Token("cables.read", "secret", "NOFORN");
        await using var before = new WatchClient(service.ClientWith(confidential), WatchClient.FromNow());
        await before.UntilAsync(w => w.Received.Count > 0);
        var start = before.LastPosition;

        // The cable is logged as UNCLASSIFIED when created, then revised to SECRET NOFORN, before anyone reads the log.
        var unclassified = SecuredService.UnclassifiedText("1998");
        var raised = unclassified.Replace("UNCLAS SECTION 01 OF 03 BRUSSELS 001998", "S E C R E T SECTION 01 OF 03 BRUSSELS 001998\n\nNOFORN", StringComparison.Ordinal);
        Assert.Equal(Api.IngestOutcome.Created, (await service.Client.IngestCableAsync(new Api.IngestCableRequest { RawText = unclassified })).Outcome);
        Assert.Equal(Api.IngestOutcome.Revised, (await service.Client.IngestCableAsync(new Api.IngestCableRequest { RawText = raised })).Outcome);
        Assert.Equal(Api.IngestOutcome.Created, (await service.Client.IngestCableAsync(new Api.IngestCableRequest { RawText = SecuredService.UnclassifiedText("1999") })).Outcome);

        await using var low = new WatchClient(service.ClientWith(confidential), WatchClient.From(start));
        await using var high = new WatchClient(service.ClientWith(secret), WatchClient.From(start));
        await Task.WhenAll(low.ChangesAsync(1), high.ChangesAsync(3));
        await low.ForAsync(TimeSpan.FromMilliseconds(500));

        // Both changes of the raised cable now show SECRET content: the cleared watcher gets both, the other neither.
        Assert.Equal(["08BRUSSELS1999"], low.Changes.Select(c => c.Cable.ReferenceId));
        Assert.Equal(
            [("08BRUSSELS1998", Api.ChangeKind.Created), ("08BRUSSELS1998", Api.ChangeKind.Revised), ("08BRUSSELS1999", Api.ChangeKind.Created)],
            high.Changes.Select(c => (c.Cable.ReferenceId, c.Kind)));
        Assert.All(high.Changes.Take(2), c => Assert.Equal(Api.ClassificationLevel.Secret, c.Cable.Classification.Level));
    }
}
