using Cables.Parsing.Model;
using static Cables.Cli.Tests.Fakes.IngestRuns;

namespace Cables.Cli.Tests;

public sealed class IngestSessionTests() : FolderPerTest("cablectl-session-")
{
    [Fact]
    public async Task Every_item_is_acknowledged_once_and_a_rerun_gives_unchanged()
    {
        var service = new FakeCablesClient();
        var first = await RunAsync(service, Items(200), Fast);
        Assert.Equal(200, first.Counters.Created);
        Assert.Equal(0, first.Counters.InFlight);

        var second = await RunAsync(service, Items(200), Fast);
        Assert.Equal(0, second.Counters.Created);
        Assert.Equal(200, second.Counters.Unchanged);
        Assert.All(service.Commits.Values, n => Assert.Equal(2, n));
    }

    [Fact]
    public async Task The_window_bounds_what_is_in_flight()
    {
        var service = new FakeCablesClient { AcknowledgeBatch = 8, BatchDelay = TimeSpan.FromSeconds(10) };
        var result = await RunAsync(service, Items(100), Fast with { Window = 8 });
        Assert.Equal(100, result.Counters.Created);
        Assert.Equal(8, service.MaxUnacknowledged); // the fake answers only full batches: the client filled the window, never more
    }

    [Fact]
    public async Task A_broken_stream_is_resumed_and_loses_nothing()
    {
        // The 1st and 2nd connections die after committing 30 items each but answering only 20 of them.
        var service = new FakeCablesClient { AcknowledgeBeforeBreak = 20 };
        service.BreakAfterCommits[1] = 30;
        service.BreakAfterCommits[2] = 30;
        var result = await RunAsync(service, Items(150), Fast);

        Assert.Equal(3, service.AcceptedConnections);
        Assert.Equal(2, result.Counters.Reconnects);
        Assert.Equal(150, service.Commits.Count); // nothing lost
        Assert.Equal(150, result.Counters.Created + result.Counters.Unchanged); // nothing counted twice
        Assert.Equal(20, result.Counters.Unchanged); // the 2 x 10 committed items whose answer was lost, resent
        Assert.Equal(20, service.Commits.Values.Count(n => n == 2));
        Assert.Equal(150, result.Acknowledged.Distinct().Count());
        Assert.Equal(150, result.Acknowledged.Count);
    }

    [Fact]
    public async Task A_service_that_comes_back_within_the_budget_gets_everything()
    {
        var service = new FakeCablesClient { RefuseConnections = 4 };
        var result = await RunAsync(service, Items(50), Fast);
        Assert.Equal(50, result.Counters.Created);
        Assert.Equal(4, result.Counters.Reconnects);
        Assert.Equal(4, result.Reconnects.Count);
        Assert.True(result.Reconnects[3] > result.Reconnects[0], "the delay grows");
    }

    [Fact]
    public async Task A_service_that_stays_away_ends_the_run_after_the_budget()
    {
        var service = new FakeCablesClient { RefuseConnections = int.MaxValue };
        var options = Fast with { MaxReconnectWait = TimeSpan.FromMilliseconds(300) };
        var started = DateTime.UtcNow;
        await Assert.ThrowsAsync<ServiceUnavailableException>(() => RunAsync(service, Items(5), options));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task An_interrupted_run_resumes_from_its_state_file_without_duplicates_or_loss()
    {
        var statePath = Folder.File("state");
        var service = new FakeCablesClient();
        using (var cancel = new CancellationTokenSource())
        using (var state = ResumeState.Open(statePath))
        {
            var listener = new RecordingListener(acknowledged => { if (acknowledged == 60) cancel.Cancel(); });
            using var session = new IngestSession(service, Fast, state, listener);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => session.RunAsync(Items(300), cancel.Token));
        }

        var recorded = File.ReadAllLines(statePath);
        Assert.InRange(recorded.Length, 60, 300);
        Assert.Equal(recorded.Length, recorded.Distinct().Count());

        using (var state = ResumeState.Open(statePath))
        {
            var listener = new RecordingListener();
            using var session = new IngestSession(service, Fast, state, listener);
            await session.RunAsync(Items(300), CancellationToken.None);
            Assert.Equal(recorded.Length, session.Counters.Skipped);
            Assert.DoesNotContain(listener.Sources, recorded.Contains); // nothing the first run recorded is sent again
        }

        Assert.Equal(300, service.Commits.Count); // no loss
        Assert.Equal(300, File.ReadAllLines(statePath).Distinct().Count());
        // Items in flight when the first run stopped may have been committed without their answer; resent, they are
        // UNCHANGED. Everything else reached the store exactly once.
        Assert.True(service.Commits.Values.Count(n => n > 1) <= Fast.Window);
    }

    [Fact]
    public async Task Answers_reach_the_state_file_while_the_session_waits_for_more()
    {
        var statePath = Folder.File("state");
        var service = new FakeCablesClient();
        using var stalled = new SemaphoreSlim(0);
        IEnumerable<SourceItem> Source()
        {
            foreach (var item in Items(20))
            {
                yield return item;
            }

            stalled.Wait(); // the input stalls with every item sent: nothing would end the session and flush the file
        }

        using var state = ResumeState.Open(statePath);
        using var session = new IngestSession(service, Fast, state, new RecordingListener());
        var run = Task.Run(() => session.RunAsync(Source(), CancellationToken.None)); // the stall blocks a pool thread, not the test's
        var written = new List<string>();
        for (var waited = 0; written.Count < 20 && waited < 10_000; waited += 20)
        {
            await Task.Delay(20);
            using var reader = new StreamReader(new FileStream(statePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            written = [.. (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)];
        }

        stalled.Release();
        await run;
        Assert.Equal(Items(20).Select(i => i.Source).Order(), written.Order());
    }

    [Fact]
    public async Task Items_rejected_here_are_recorded_in_the_state_after_the_listener_kept_them()
    {
        var statePath = Folder.File("state");
        var order = new List<string>();
        using (var state = ResumeState.Open(statePath))
        {
            var listener = new RecordingListener(_ => order.Add(state.Contains("broken.html") ? "state first" : "listener first"));
            using var session = new IngestSession(new FakeCablesClient(), Fast, state, listener);
            await session.RunAsync([SourceItem.Failed("broken.html", "not a page")], CancellationToken.None);
        }

        Assert.Equal(["listener first"], order);
        Assert.Equal(["broken.html"], File.ReadAllLines(statePath));
    }

    [Fact]
    public async Task Unreadable_and_oversized_items_are_rejected_here_and_service_rejections_reported()
    {
        var service = new FakeCablesClient();
        var items = new List<SourceItem>
        {
            SourceItem.Read("good.txt", new RawCable("telegram", SourceFormat.Telegram, null)),
            SourceItem.Failed("broken.html", "not a WikiLeaks page"),
            SourceItem.Read("huge.txt", new RawCable(new string('x', 2000), SourceFormat.Telegram, null)),
            SourceItem.Read("garbage.txt", new RawCable("GARBAGE", SourceFormat.Telegram, null)),
        };
        var result = await RunAsync(service, items, Fast with { MaxItemBytes = 1000 });

        Assert.Equal(1, result.Counters.Created);
        Assert.Equal(3, result.Counters.Rejected);
        Assert.Equal(["good.txt"], service.Commits.Keys); // only what the service accepted is stored
        var rejected = result.Listener.Rejections.ToDictionary(r => r.ClientItemId, r => r.Reason);
        Assert.Equal("UNREADABLE_INPUT", rejected["broken.html"]);
        Assert.Equal("CABLE_TOO_LARGE", rejected["huge.txt"]);
        Assert.Equal("NO_REFERENCE_ID", rejected["garbage.txt"]);
    }

    [Fact]
    public void Requests_carry_the_unwrapped_telegram_and_the_source_metadata()
    {
        var created = new DateTime(2008, 9, 5, 18, 18, 0, DateTimeKind.Utc);
        var cable = new RawCable("VZCZC…", SourceFormat.WikiLeaksHtml, new SourceMetadata
        {
            ReferenceId = "08BRUSSELS1390",
            Created = created,
            Classification = "CONFIDENTIAL",
            Origin = "Embassy Brussels",
            References = ["08STATE1"],
            PartialExtract = false,
        });
        var request = IngestSession.ToRequest("pages/08BRUSSELS1390.html", cable);

        Assert.Equal("pages/08BRUSSELS1390.html", request.ClientItemId);
        Assert.Equal("VZCZC…", request.RawText);
        Assert.Equal(V1.SourceFormat.Telegram, request.Format);
        Assert.Equal("08BRUSSELS1390", request.Metadata.ReferenceId);
        Assert.Equal(created, request.Metadata.Created.ToDateTime());
        Assert.Equal("Embassy Brussels", request.Metadata.Origin);
        Assert.Equal(["08STATE1"], request.Metadata.References);
        Assert.True(request.Metadata.HasPartialExtract);
        Assert.Equal("pages/08BRUSSELS1390.html", request.Metadata.Source);
    }
}
