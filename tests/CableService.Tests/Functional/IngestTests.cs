using System.Diagnostics.Metrics;
using Google.Protobuf.WellKnownTypes;

namespace CableService.Tests.Functional;

public sealed class IngestTests(ServiceHost host) : IClassFixture<ServiceHost>
{
    private static Api.IngestCableRequest SeedRequest(string itemId) => Ingestion.Telegram(Corpus.SeedPath, itemId);

    [Fact]
    public async Task The_same_text_again_is_unchanged_and_an_edited_text_is_revised_with_the_old_one_kept()
    {
        var first = await host.Client.IngestCableAsync(SeedRequest("first"));
        Assert.Equal(Api.IngestOutcome.Created, first.Outcome);
        Assert.Equal("08BRUSSELS1390", first.ReferenceId);
        Assert.Equal(Api.SourceFormat.Telegram, first.Format);
        var original = await host.Client.GetCableAsync(new Api.GetCableRequest { ReferenceId = "08BRUSSELS1390", View = Api.CableView.Full });

        var again = await host.Client.IngestAllAsync([SeedRequest("again")]);
        Assert.Equal(Api.IngestOutcome.Unchanged, again["again"].Outcome);

        var edited = SeedRequest("edited");
        edited.RawText += "\n\nADDENDUM: a correction.\n";
        var revised = await host.Client.IngestAllAsync([edited]);
        Assert.Equal(Api.IngestOutcome.Revised, revised["edited"].Outcome);

        var current = await host.Client.GetCableAsync(new Api.GetCableRequest { ReferenceId = "08brussels1390", View = Api.CableView.Full });
        Assert.Equal(edited.RawText, current.RawText);
        Assert.Equal(1, current.RevisionCount);
        Assert.NotNull(current.Revised);
        Assert.NotEqual(original.ContentSha256, current.ContentSha256);

        var revisions = await host.Client.ListCableRevisionsAsync(new Api.ListCableRevisionsRequest { ReferenceId = "08BRUSSELS1390", View = Api.CableView.Full });
        Assert.Equal([2, 1], revisions.Revisions.Select(r => r.Revision));
        var kept = revisions.Revisions[1].Cable;
        Assert.Equal(original.ContentSha256, kept.ContentSha256);
        Assert.Equal(original.RawText, kept.RawText);
    }

    [Fact]
    public async Task A_stored_cable_is_found_by_text_once_the_service_has_computed_its_vector()
    {
        var truth = Corpus.Sample(500)[1];
        var request = Ingestion.Telegram(truth.Path, "indexed");
        request.Metadata = new Api.SourceMetadata { ReferenceId = truth.ReferenceId, Created = Timestamp.FromDateTime(truth.Created) };
        var response = await host.Client.IngestCableAsync(request);
        Assert.Equal(Api.IngestOutcome.Created, response.Outcome);
        var stored = await host.Client.GetCableAsync(new Api.GetCableRequest { ReferenceId = response.ReferenceId });
        var word = stored.Subject.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => w.All(char.IsLetter)).MaxBy(w => w.Length);
        Assert.True(word is { Length: >= 5 }, $"subject '{stored.Subject}' has no long word");

        await host.WaitForSearchIndexAsync(); // nothing in the test computes it: the service's indexer does

        var found = await host.Client.StreamAllAsync(new Api.StreamCablesRequest { Filter = new Api.CableFilter { Text = word } });
        Assert.Contains(response.ReferenceId, found.Select(r => r.Cable.ReferenceId));
    }

    [Fact]
    public async Task Rejected_items_get_reasons_never_end_the_stream_and_leave_the_database_unchanged()
    {
        var before = await host.CountRowsAsync();
        var noDate = new Api.IngestCableRequest { ClientItemId = "no-date", RawText = "A note without any header.", Metadata = new() { ReferenceId = "09NOWHERE1" } };
        Api.IngestCableRequest[] bad =
        [
            new() { ClientItemId = "empty", RawText = "" },
            new() { ClientItemId = "blank", RawText = "  \n " },
            new() { ClientItemId = "too-large", RawText = new string('A', 1024 * 1024 + 1) },
            new() { ClientItemId = "nul", RawText = "VZCZC\0" },
            new() { ClientItemId = "no-id", RawText = "Just some words, no telegram header and no reference id." },
            noDate,
            new() { ClientItemId = "bad-csv", RawText = "not a row", Format = Api.SourceFormat.CablesCsv },
        ];
        var responses = await host.Client.IngestAllAsync(bad);

        Assert.Equal(bad.Length, responses.Count);
        Assert.All(responses.Values, r => Assert.Equal(Api.IngestOutcome.Rejected, r.Outcome));
        Assert.All(responses.Values, r => Assert.NotEmpty(r.Details));
        Assert.Equal("EMPTY_TEXT", responses["empty"].Reason);
        Assert.Equal("EMPTY_TEXT", responses["blank"].Reason);
        Assert.Equal("CABLE_TOO_LARGE", responses["too-large"].Reason);
        Assert.Equal("INVALID_TEXT", responses["nul"].Reason);
        Assert.Equal("NO_REFERENCE_ID", responses["no-id"].Reason);
        Assert.Equal("NO_DATE", responses["no-date"].Reason);
        Assert.Equal("UNREADABLE_FORMAT", responses["bad-csv"].Reason);
        Assert.Equal(before, await host.CountRowsAsync());

        // The unary call rejects the same way, with an OK status.
        var unary = await host.Client.IngestCableAsync(new Api.IngestCableRequest { ClientItemId = "u", RawText = "" });
        Assert.Equal(("u", Api.IngestOutcome.Rejected, "EMPTY_TEXT"), (unary.ClientItemId, unary.Outcome, unary.Reason));

        // A stream mixing bad and good items answers all of them and stores the good one.
        var cable = Corpus.Sample(1000)[1];
        var good = Ingestion.Telegram(cable.Path, "good").Also(r => r.Metadata = new()
        {
            ReferenceId = cable.ReferenceId,
            Created = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(cable.Created),
        });
        var mixed = await host.Client.IngestAllAsync([bad[0], good, bad[2]]);
        Assert.Equal(3, mixed.Count);
        Assert.Equal(Api.IngestOutcome.Created, mixed["good"].Outcome);
        Assert.Equal(cable.ReferenceId, mixed["good"].ReferenceId);
        Assert.Equal(before.Cables + 1, (await host.CountRowsAsync()).Cables);
    }

    [Fact]
    public async Task A_message_over_the_transport_limit_is_resource_exhausted()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await host.Client.IngestCableAsync(new Api.IngestCableRequest { RawText = new string('A', 5 * 1024 * 1024) }));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task A_client_that_cancels_mid_stream_ends_the_call_and_the_server_stops_reading()
    {
        var factory = host.Host.Services.GetRequiredService<IMeterFactory>();
        long received = 0;
        var openStreams = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == IngestMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory)
                && instrument.Name is "cables.ingest.received" or "cables.ingest.open_streams")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref received, value));
        listener.SetMeasurementEventCallback<int>((_, value, _, _) => Interlocked.Add(ref openStreams, value));
        listener.Start();

        using var cancellation = new CancellationTokenSource();
        var call = host.Client.IngestCables(cancellationToken: cancellation.Token);
        var paths = Corpus.Sample(50).Select(c => c.Path).ToArray();
        for (var i = 0; i < 20; i++)
        {
            await call.RequestStream.WriteAsync(Ingestion.Telegram(paths[i % paths.Length], $"c{i}"));
        }

        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        await WaitUntil(() => Interlocked.Read(ref received) >= 20);
        Assert.Equal(1, Volatile.Read(ref openStreams));

        await cancellation.CancelAsync();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
            }
        });
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        call.Dispose();

        await WaitUntil(() => Volatile.Read(ref openStreams) == 0);
        var afterCancel = Interlocked.Read(ref received);
        await Task.Delay(200);
        Assert.Equal(afterCancel, Interlocked.Read(ref received));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 20 s");
            await Task.Delay(20);
        }
    }
}

public sealed class SourceFormatIngestTests(ServiceHost host) : IClassFixture<ServiceHost>
{
    [Fact]
    public async Task A_wikileaks_page_and_a_cables_csv_row_are_detected_unwrapped_and_stored()
    {
        var page = Directory.EnumerateFiles(Cables.Testing.SharedFolder.Path("corpus", "formats", "html"), "*.html").Order(StringComparer.Ordinal).First();
        var pageId = Path.GetFileNameWithoutExtension(page);
        var row = FirstCsvRow(Cables.Testing.SharedFolder.Path("corpus", "formats", "cables.csv"));
        var rowId = row.Split("\",\"")[2];

        var responses = await host.Client.IngestAllAsync(
        [
            new Api.IngestCableRequest { ClientItemId = "page", RawText = await File.ReadAllTextAsync(page) },
            new Api.IngestCableRequest { ClientItemId = "row", RawText = row },
        ]);

        Assert.Equal((Api.IngestOutcome.Created, Api.SourceFormat.WikileaksHtml, pageId), (responses["page"].Outcome, responses["page"].Format, responses["page"].ReferenceId));
        Assert.Equal((Api.IngestOutcome.Created, Api.SourceFormat.CablesCsv, rowId), (responses["row"].Outcome, responses["row"].Format, responses["row"].ReferenceId));

        // The telegram the page wraps is what is kept (it equals the corpus's text rendering of the same cable),
        // and the page's metadata (origin) reached the parsed cable.
        var telegram = await File.ReadAllTextAsync(Cables.Testing.SharedFolder.Path("corpus", "cables", pageId + ".txt"));
        var stored = await host.Client.GetCableAsync(new Api.GetCableRequest { ReferenceId = pageId, View = Api.CableView.Full });
        Assert.Equal(telegram, stored.RawText);
        Assert.Equal(Corpus.Truth.Single(t => t.ReferenceId == pageId).Origin, stored.Origin);

        // Another rendering of the same cable is the same content (a partial extract: its id and date come as metadata).
        var truth = Corpus.Truth.Single(t => t.ReferenceId == pageId);
        var metadata = new Api.SourceMetadata { ReferenceId = pageId, Created = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.SpecifyKind(truth.Created, DateTimeKind.Utc)) };
        var again = await host.Client.IngestAllAsync([new Api.IngestCableRequest { ClientItemId = "text", RawText = telegram, Metadata = metadata }]);
        Assert.Equal(Api.IngestOutcome.Unchanged, again["text"].Outcome);
    }

    /// <summary>The first record of cables.csv: quoted fields with backslash escapes and raw newlines inside.</summary>
    private static string FirstCsvRow(string path)
    {
        var text = File.ReadAllText(path);
        var inQuotes = false;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\\':
                    i++;
                    break;
                case '"':
                    inQuotes = !inQuotes;
                    break;
                case '\n' when !inQuotes:
                    return text[..i];
            }
        }

        return text;
    }
}
