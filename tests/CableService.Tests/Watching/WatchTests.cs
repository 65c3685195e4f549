using CableService.Watching;
using Cables.Storage;
using Npgsql;

namespace CableService.Tests.Watching;

/// <summary>The service with heartbeats and polls short enough for tests to see several.</summary>
public sealed class WatchHost : ServiceHost
{
    public static readonly IReadOnlyDictionary<string, string?> WatchSettings = new Dictionary<string, string?>
    {
        ["Cables:Watch:HeartbeatInterval"] = "00:00:00.200",
        ["Cables:Watch:PollInterval"] = "00:00:00.050",
        ["Cables:Watch:ReadChunkSize"] = "7", // small chunks: the tests cross chunk boundaries
        ["Cables:Watch:MaxQueuedChanges"] = "20", // a small memory: watchers that fall behind read the log
    };

    protected override IReadOnlyDictionary<string, string?> Settings => WatchSettings;
}

public sealed class WatchTests(WatchHost host) : IClassFixture<WatchHost>
{
    private static readonly TimeSpan s_quiet = TimeSpan.FromMilliseconds(600);

    [Fact]
    public async Task Two_writers_that_commit_out_of_sequence_order_are_both_delivered_once_in_commit_order()
    {
        var filter = new Api.CableFilter { AllTags = { "PTER" } };
        await using var watch = new WatchClient(host.Client, WatchClient.FromNow(filter));
        await watch.UntilAsync(w => w.Received.Count > 0);
        var before = watch.LastPosition;

        // The first writer takes the lower change number and commits last; a reader going by numbers alone would
        // move past it when the second one commits, and never deliver it.
        await using var early = await host.Database.DataSource.OpenConnectionAsync();
        await using var late = await host.Database.DataSource.OpenConnectionAsync();
        await using var earlyTransaction = await early.BeginTransactionAsync();
        await HandWrittenCables.InsertAsync(early, earlyTransaction, "09SANAA0001");
        var earlyNumber = await ChangeNumberAsync(early, earlyTransaction, "09SANAA0001"); // uncommitted: only its own transaction sees it
        await using (var lateTransaction = await late.BeginTransactionAsync())
        {
            await HandWrittenCables.InsertAsync(late, lateTransaction, "09SANAA0002");
            await lateTransaction.CommitAsync();
        }

        Assert.True(earlyNumber < await ChangeNumberAsync(late, null, "09SANAA0002"));

        // The committed change does not wait for the running writer.
        await watch.ChangesAsync(1);
        Assert.Equal(["09SANAA0002"], watch.Changes.Select(c => c.Cable.ReferenceId));
        var waiting = watch.LastPosition;

        await earlyTransaction.CommitAsync();
        await watch.ChangesAsync(2);
        await watch.ForAsync(s_quiet);

        Assert.Equal(["09SANAA0002", "09SANAA0001"], watch.Changes.Select(c => c.Cable.ReferenceId));
        Assert.All(watch.Changes, c => Assert.Equal(Api.ChangeKind.Created, c.Kind));

        // A position from before both resumes to both; one taken while the early writer ran, to the early one alone.
        foreach (var (position, expected) in new[] { (before, new[] { "09SANAA0002", "09SANAA0001" }), (waiting, ["09SANAA0001"]) })
        {
            await using var resumed = new WatchClient(host.Client, WatchClient.From(position, filter));
            await resumed.ChangesAsync(expected.Length);
            await resumed.ForAsync(s_quiet);
            Assert.Equal(expected, resumed.Changes.Select(c => c.Cable.ReferenceId));
        }
    }

    [Fact]
    public async Task A_watcher_that_disconnects_while_others_ingest_resumes_with_no_gap_and_no_duplicate()
    {
        var cables = TestCables.Requests(60).Skip(20).ToList();
        var expected = cables.Select(c => c.Metadata.ReferenceId).ToHashSet();
        var received = new List<string>();
        string position;
        Task ingesting;
        await using (var first = new WatchClient(host.Client, WatchClient.FromNow()))
        {
            await first.UntilAsync(w => w.Received.Count > 0);
            ingesting = IngestInBatchesAsync(cables, batch: 5);
            await first.UntilAsync(w => w.Changes.Count(c => expected.Contains(c.Cable.ReferenceId)) >= 12);
            received.AddRange(first.Changes.Select(c => c.Cable.ReferenceId).Where(expected.Contains));
            position = first.LastPosition;
        }

        await using var second = new WatchClient(host.Client, WatchClient.From(position));
        await ingesting;
        await second.UntilAsync(w => received.Count + w.Changes.Count(c => expected.Contains(c.Cable.ReferenceId)) >= expected.Count);
        await second.ForAsync(s_quiet);
        received.AddRange(second.Changes.Select(c => c.Cable.ReferenceId).Where(expected.Contains));

        Assert.Equal(expected.Count, received.Count);
        Assert.Equal(expected.Order(StringComparer.Ordinal), received.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_watcher_whose_client_stops_reading_reads_the_log_and_still_gets_every_change_once_in_log_order()
    {
        var cables = TestCables.Requests(280).Skip(80).ToList(); // none of the other tests' cables
        var expected = cables.Select(c => c.Metadata.ReferenceId).ToHashSet();
        var feed = host.Host.Services.GetRequiredService<ChangeFeed>();
        var putBehind = feed.WatchersPutBehind;
        using var call = host.Client.WatchCables(WatchClient.FromNow());
        Assert.True(await call.ResponseStream.MoveNext()); // the first heartbeat: the watcher is attached

        // The client reads nothing while 200 cables of several kilobytes go in: the call's flow-control window fills,
        // the watcher stops taking, and its mailbox outgrows the feed's memory of 20 changes.
        await IngestInBatchesAsync(cables, batch: 20);
        await Poll.UntilAsync(() => feed.WatchersPutBehind > putBehind, TimeSpan.FromSeconds(30), "the silent watcher to be put behind");

        var received = new List<(string Id, ChangePosition Position)>();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (received.Count(r => expected.Contains(r.Id)) < expected.Count && await call.ResponseStream.MoveNext(limit.Token))
        {
            var response = call.ResponseStream.Current;
            if (response.Kind != Api.ChangeKind.Unspecified)
            {
                received.Add((response.Cable.ReferenceId, WatchClient.Decode(response.Position)));
            }
        }

        Assert.Equal(expected.Order(StringComparer.Ordinal), received.Select(r => r.Id).Where(expected.Contains).Order(StringComparer.Ordinal));
        Assert.Equal(received.Select(r => r.Position).Order(), received.Select(r => r.Position));
        Assert.Equal(received.Count, received.Select(r => r.Position).Distinct().Count());
    }

    [Fact]
    public async Task A_watcher_of_a_citation_beside_one_of_everything_gets_exactly_the_cables_that_cite_it()
    {
        var cables = TestCables.Requests(330).Skip(280).ToList(); // none of the other tests' cables
        var citing = cables.ToLookup(c => Cables.Parsing.CableParser.Parse(
                c.RawText,
                new Cables.Parsing.Model.SourceMetadata { ReferenceId = c.Metadata.ReferenceId, Created = c.Metadata.Created.ToDateTime() })
            .References.FirstOrDefault(r => r.Kind == Cables.Parsing.Model.ReferenceKind.Cable)?.Id);
        var cited = citing.Where(g => g.Key is not null).OrderByDescending(g => g.Count()).First();
        var citedId = Cables.Parsing.Fields.ReferenceIds.Canonicalize(cited.Key!);
        await using var everything = new WatchClient(host.Client, WatchClient.FromNow());
        await using var citations = new WatchClient(host.Client, WatchClient.FromNow(new Api.CableFilter { Cites = citedId }));
        await Task.WhenAll(everything.UntilAsync(w => w.Received.Count > 0), citations.UntilAsync(w => w.Received.Count > 0));

        // A citation is matched on the references, which only the cable itself carries.
        await IngestInBatchesAsync(cables, batch: 10);
        await everything.ChangesAsync(cables.Count);
        await citations.ForAsync(s_quiet);

        var expected = everything.Changes.Where(c => c.Cable.References.Any(r => r.Kind == Api.ReferenceKind.Cable && r.Id == citedId));
        Assert.Superset(cited.Select(c => c.Metadata.ReferenceId).ToHashSet(), expected.Select(c => c.Cable.ReferenceId).ToHashSet());
        Assert.Equal(expected.Select(c => c.Cable.ReferenceId), citations.Changes.Select(c => c.Cable.ReferenceId));
    }

    [Fact]
    public async Task A_revised_cable_is_delivered_as_REVISED_with_its_new_content()
    {
        var original = Ingestion.Telegram(Corpus.SeedPath, "seed");
        Assert.Equal(Api.IngestOutcome.Created, (await host.Client.IngestCableAsync(original)).Outcome);
        var filter = new Api.CableFilter { AllTags = { "PREL", "BE" } };
        await using var watch = new WatchClient(host.Client, WatchClient.FromNow(filter));
        await watch.UntilAsync(w => w.Received.Count > 0);

        var edited = Ingestion.Telegram(Corpus.SeedPath, "edited");
        edited.RawText += "\n\nADDENDUM: a correction.\n";
        Assert.Equal(Api.IngestOutcome.Revised, (await host.Client.IngestCableAsync(edited)).Outcome);
        Assert.Equal(Api.IngestOutcome.Unchanged, (await host.Client.IngestCableAsync(edited)).Outcome);
        await watch.ChangesAsync(1);
        await watch.ForAsync(s_quiet);

        var change = Assert.Single(watch.Changes);
        Assert.Equal(Api.ChangeKind.Revised, change.Kind);
        Assert.Equal("08BRUSSELS1390", change.Cable.ReferenceId);
        Assert.Equal(1, change.Cable.RevisionCount);
        Assert.Empty(change.Cable.RawText); // the BASIC view

        await using var full = new WatchClient(host.Client, WatchClient.From(watch.Received[0].Position, filter).Also(r => r.View = Api.CableView.Full));
        await full.ChangesAsync(1);
        Assert.Equal(edited.RawText, full.Changes.Single().Cable.RawText);

        // A read mask trims the change every other watcher receives whole; the kind and position stay.
        await using var masked = new WatchClient(host.Client, WatchClient.From(watch.Received[0].Position, filter).Also(r => r.ReadMask = new() { Paths = { "reference_id", "subject" } }));
        await masked.ChangesAsync(1);
        var trimmed = masked.Changes.Single();
        Assert.Equal(new Api.Cable { ReferenceId = "08BRUSSELS1390", Subject = change.Cable.Subject }, trimmed.Cable);
        Assert.Equal((change.Kind, change.Position), (trimmed.Kind, trimmed.Position));
        Assert.Equal(change, watch.Changes.Single()); // the shared response is unchanged by the trim
    }

    [Fact]
    public async Task A_filter_that_matches_nothing_gets_heartbeats_whose_position_advances_past_the_ingests()
    {
        await using var watch = new WatchClient(host.Client, WatchClient.FromNow(new Api.CableFilter { Origins = { "Embassy Nowhere" } }));
        await watch.UntilAsync(w => w.Received.Count > 0);
        var start = WatchClient.Decode(watch.LastPosition);

        await IngestInBatchesAsync([.. TestCables.Requests(70).Skip(60)], batch: 5);
        var after = await host.Database.ChangeHorizonAsync();
        await watch.UntilAsync(w => WatchClient.Decode(w.LastPosition) >= ChangePosition.AtHorizon(after));

        Assert.Empty(watch.Changes);
        Assert.True(watch.Received.Count >= 2, $"{watch.Received.Count} heartbeats");
        Assert.All(watch.Received, r => Assert.Null(r.Cable));
        var positions = watch.Received.Select(r => WatchClient.Decode(r.Position)).ToList();
        Assert.True(positions.Zip(positions.Skip(1)).All(p => p.First <= p.Second), "heartbeat positions went back");
        Assert.True(positions[^1] > start);
    }

    [Fact]
    public async Task A_position_older_than_the_retention_answers_FAILED_PRECONDITION_POSITION_EXPIRED()
    {
        await using (var watch = new WatchClient(host.Client, WatchClient.FromNow()))
        {
            await watch.UntilAsync(w => w.Received.Count > 0);
            var old = watch.LastPosition;
            await IngestInBatchesAsync([.. TestCables.Requests(75).Skip(70)], batch: 5);
            Assert.True(await host.Database.CreateStore().PruneChangesAsync(TimeSpan.Zero, CancellationToken.None) > 0);

            await using var expired = new WatchClient(host.Client, WatchClient.From(old));
            var error = await expired.FailureAsync();
            Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
            Assert.Equal(CableWatch.PositionExpired, error.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason);
        }

        // A position issued after the pruning still resumes.
        await using var fresh = new WatchClient(host.Client, WatchClient.FromNow());
        await fresh.UntilAsync(w => w.Received.Count > 0);
        await using var resumed = new WatchClient(host.Client, WatchClient.From(fresh.LastPosition));
        await resumed.UntilAsync(w => w.Received.Count > 0);
    }

    [Theory]
    [InlineData("not-a-position")]
    [InlineData("VwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_position_the_service_did_not_issue_is_INVALID_ARGUMENT(string position)
    {
        await using var watch = new WatchClient(host.Client, WatchClient.From(position));
        var error = await watch.FailureAsync();

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("position", error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Single().Field);
    }

    [Fact]
    public async Task A_text_filter_is_INVALID_ARGUMENT()
    {
        await using var watch = new WatchClient(host.Client, WatchClient.FromNow(new Api.CableFilter { Text = "Lavrov" }));
        var error = await watch.FailureAsync();

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("filter.text", error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Single().Field);
    }

    private async Task IngestInBatchesAsync(IReadOnlyList<Api.IngestCableRequest> cables, int batch)
    {
        foreach (var chunk in cables.Chunk(batch))
        {
            var responses = await host.Client.IngestAllAsync(chunk);
            Assert.All(responses.Values, r => Assert.Equal(Api.IngestOutcome.Created, r.Outcome));
        }
    }

    private static async Task<long> ChangeNumberAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string referenceId)
    {
        await using var command = new NpgsqlCommand("SELECT seq FROM cable_changes WHERE reference_id = $1", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = referenceId });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
