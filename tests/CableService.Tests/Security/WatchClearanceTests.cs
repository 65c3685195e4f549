using CableService.Tests.Watching;

namespace CableService.Tests.Security;

public sealed class WatchClearanceTests(SecuredService service) : IClassFixture<SecuredService>
{
    [Fact]
    public async Task A_watcher_receives_only_the_changes_its_clearance_allows_in_every_view()
    {
        // "From now" starts at the horizon, which another test class's open transaction may hold below the fixture's
        // own ingests: past them, the watchers see only what this test writes.
        await service.Database.HorizonPastWritesAsync();
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
}
