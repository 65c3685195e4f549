using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cables.Parsing;
using Google.Protobuf;

namespace Cables.Storage.Tests;

public sealed class IngestTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private readonly CableStore _store = database.CreateStore();

    [Fact]
    public async Task New_cables_are_created_and_read_back_whole()
    {
        var cables = Enumerable.Range(1000, 20).Select(i => TestCables.Make(i)).ToArray();

        var results = await _store.IngestAsync([.. cables.Select(c => TestCables.ToStore(c))], CancellationToken.None);

        Assert.Equal(cables.Select(c => new StoreResult(c.ReferenceId!, IngestOutcome.Created)), results);
        foreach (var cable in cables)
        {
            var full = await _store.GetAsync(cable.ReferenceId!, full: true, CancellationToken.None);
            Assert.NotNull(full);
            TestCables.AssertSame(cable, full);
            Assert.Equal(TestCables.ToStore(cable).RawText, full.RawText);
            Assert.Equal(Sha256Hex(full.RawText!), full.ContentSha256);
            Assert.Equal(0, full.RevisionCount);
            Assert.Null(full.Revised);

            var basic = await _store.GetAsync(cable.ReferenceId!, full: false, CancellationToken.None);
            Assert.NotNull(basic);
            TestCables.AssertSame(TestCables.Basic(cable), basic);
            Assert.Empty(basic.RawText);
            Assert.Equal(full.ContentSha256, basic.ContentSha256);
        }
    }

    [Fact]
    public async Task Paragraphs_are_read_from_the_stored_body_and_a_revision_keeps_its_own()
    {
        const string Body = "UNCLAS SECTION 01 OF 02\n\n1. (C) First paragraph,\ncontinued.\n\n2. (S/NF) Second.\n\nGUTMAN";
        var original = TestCables.Make(960) with { Body = Body, Paragraphs = CableParser.ReadParagraphs(Body) };
        Assert.Equal(2, original.Paragraphs.Count);
        await _store.IngestAsync([TestCables.ToStore(original)], CancellationToken.None);
        await AssertFullReadsGiveAsync(original);

        var revised = original with { Subject = "REVISED", Body = "1. (U) Only paragraph." };
        Assert.Equal(IngestOutcome.Revised, (await _store.IngestAsync([TestCables.ToStore(revised, "revised text")], CancellationToken.None)).Single().Outcome);
        await AssertFullReadsGiveAsync(revised);
        var archived = Assert.Single(await EarlierVersionsAsync(original.ReferenceId!)).Cable;
        Assert.Equal(Body, archived.Body);
        Assert.Equal(["First paragraph, continued.", "Second."], archived.Paragraphs.Select(p => p.Text));
    }

    [Fact]
    public async Task Get_of_an_unknown_id_is_null()
    {
        Assert.Null(await _store.GetAsync("99NOWHERE1", full: true, CancellationToken.None));
        Assert.Null(await _store.GetAsync("99NOWHERE1", full: false, CancellationToken.None));
    }

    [Fact]
    public async Task A_cable_without_date_time_group_round_trips_with_null_created()
    {
        var cable = TestCables.Make(1100) with { Created = null };
        await _store.IngestAsync([TestCables.ToStore(cable)], CancellationToken.None);

        var stored = await _store.GetAsync(cable.ReferenceId!, full: true, CancellationToken.None);

        Assert.NotNull(stored);
        Assert.Null(stored.Created);
        TestCables.AssertSame(cable, stored);
    }

    [Fact]
    public async Task The_same_content_again_is_unchanged_and_leaves_the_row_untouched()
    {
        var cables = Enumerable.Range(1200, 5).Select(i => TestCables.ToStore(TestCables.Make(i))).ToArray();
        await _store.IngestAsync(cables, CancellationToken.None);
        var before = await RowVersionsAsync(cables);

        var results = await _store.IngestAsync(cables, CancellationToken.None);

        Assert.All(results, r => Assert.Equal(IngestOutcome.Unchanged, r.Outcome));
        Assert.Equal(before, await RowVersionsAsync(cables));
    }

    [Fact]
    public async Task Edited_content_is_revised_and_the_old_content_kept()
    {
        var original = TestCables.Make(1300) with { References = [new CableReference { Kind = ReferenceKind.Cable, Id = "07ONLYCITEDBY1300", Text = "A" }] };
        var edited = original with { Subject = "Edited subject", Body = "Edited body", Tags = [new CableTag("PHUM", TagKind.Subject)], References = [] };
        await _store.IngestAsync([TestCables.ToStore(original)], CancellationToken.None);
        var first = await _store.GetAsync(original.ReferenceId!, full: true, CancellationToken.None);

        var results = await _store.IngestAsync([TestCables.ToStore(edited)], CancellationToken.None);

        Assert.Equal([new StoreResult(original.ReferenceId!, IngestOutcome.Revised)], results);
        var current = await _store.GetAsync(original.ReferenceId!, full: true, CancellationToken.None);
        Assert.NotNull(current);
        TestCables.AssertSame(edited, current);
        Assert.Equal(1, current.RevisionCount);
        Assert.NotNull(current.Revised);
        Assert.Equal(first!.Ingested, current.Ingested);

        var version = Assert.Single(await EarlierVersionsAsync(original.ReferenceId!));
        Assert.Equal(1, version.Revision);
        Assert.Equal<DateTime?>(current.Revised.ToDateTime(), version.ReplacedAt);
        var revision = version.Cable;
        TestCables.AssertSame(original, revision);
        Assert.Equal(first.RawText, revision.RawText);
        Assert.Equal(first.ContentSha256, revision.ContentSha256);
        Assert.Equal(0, revision.RevisionCount);
        Assert.Equal(first.Ingested, revision.Ingested);
        Assert.Equal(current.Revised, revision.Revised);

        // The side tables follow the current content: the edit cites nothing, and once its vector is computed again the
        // text search sees the new words. Until then the cable matches no text: the old vector went with the revision.
        Assert.Equal(0, await _store.CountAsync(new CableQuery { Cites = "07ONLYCITEDBY1300" }, CancellationToken.None));
        var edits = new CableQuery { Text = "edited", AllTags = ["PHUM"], Origins = [original.Origin!] };
        Assert.Equal(0, await _store.CountAsync(edits, CancellationToken.None));
        await _store.IndexAllQueuedSearchAsync(CancellationToken.None);
        Assert.Equal(1, await _store.CountAsync(edits, CancellationToken.None));
    }

    [Fact]
    public async Task Citations_are_refreshed_on_revision()
    {
        var original = TestCables.Make(1400) with
        {
            References = [new CableReference { Kind = ReferenceKind.Cable, Id = "08CITED1", Text = "A" }, new CableReference { Kind = ReferenceKind.Cable, Id = "08CITED2", Text = "B" }],
        };
        var edited = original with
        {
            Body = "changed",
            References = [new CableReference { Kind = ReferenceKind.Cable, Id = "08CITED2", Text = "B" }, new CableReference { Kind = ReferenceKind.Cable, Id = "08CITED3", Text = "C" }],
        };

        await _store.IngestAsync([TestCables.ToStore(original)], CancellationToken.None);
        Assert.Equal(["08CITED1", "08CITED2"], await CitedAsync(original.ReferenceId!));

        await _store.IngestAsync([TestCables.ToStore(edited)], CancellationToken.None);
        Assert.Equal(["08CITED2", "08CITED3"], await CitedAsync(original.ReferenceId!));
    }

    [Fact]
    public async Task New_cables_copied_straight_in_are_stored_as_the_upsert_stores_them()
    {
        // A batch of new cables is copied into the tables; a batch holding an id twice goes through the upsert.
        // Both must leave the same row, side tables and vector behind.
        static ParsedCable Sample(string referenceId) => TestCables.Make(1450) with
        {
            ReferenceId = referenceId,
            References = [new CableReference { Kind = ReferenceKind.Cable, Id = "08CITED9", Text = "A" }, new CableReference { Kind = ReferenceKind.Book, Text = "B" }],
            Header = TestCables.Make(1450).Header with
            {
                To = [new Recipient { RoutingIndicator = "RUEHC", Name = "SECSTATE WASHDC", Precedence = "PRIORITY", MessageContinuityNumber = "7971" }],
                Info = [new Recipient { Name = "AMEMBASSY ONE" }, new Recipient { RoutingIndicator = "RUEHBS", Name = "USEU BRUSSELS", Precedence = "ROUTINE" }],
            },
        };
        var copied = Sample("08COPIED1450");
        var upserted = Sample("08UPSERTED1450");

        const string RawText = "the same raw text for both";
        var copyResults = await _store.IngestAsync([TestCables.ToStore(copied, RawText)], CancellationToken.None);
        var upsertResults = await _store.IngestAsync([TestCables.ToStore(upserted, RawText), TestCables.ToStore(upserted, RawText)], CancellationToken.None);

        Assert.Equal([IngestOutcome.Created], copyResults.Select(r => r.Outcome));
        Assert.Equal([IngestOutcome.Created, IngestOutcome.Unchanged], upsertResults.Select(r => r.Outcome));
        const string Row = """
            SELECT concat_ws('|', created, origin, classification_level, caveats, tags, subject, length(message) - length(reference_id), body,
                             raw_text, encode(content_sha256, 'hex'), source_format, revised_at, revision_count,
                             q.reference_id IS NOT NULL)
            FROM cables LEFT JOIN cable_search_queue q USING (reference_id) WHERE reference_id = $1
            """;
        const string Citations = "SELECT cited_id FROM cable_references WHERE reference_id = $1 ORDER BY cited_id";
        foreach (var sql in new[] { Row, Citations })
        {
            var fromCopy = await StringsAsync(sql, copied.ReferenceId!);
            Assert.NotEmpty(fromCopy);
            Assert.Equal(fromCopy, await StringsAsync(sql, upserted.ReferenceId!));
        }
    }

    [Fact]
    public async Task A_batch_with_one_stored_id_among_new_ones_is_upserted_whole()
    {
        var stored = TestCables.Make(1460);
        await _store.IngestAsync([TestCables.ToStore(stored)], CancellationToken.None);
        var fresh = TestCables.Make(1461);

        var results = await _store.IngestAsync([TestCables.ToStore(fresh), TestCables.ToStore(stored with { Body = "edited" })], CancellationToken.None);

        Assert.Equal([IngestOutcome.Created, IngestOutcome.Revised], results.Select(r => r.Outcome));
        Assert.Equal("edited", (await _store.GetAsync(stored.ReferenceId!, full: true, CancellationToken.None))!.Body);
        Assert.NotNull(await _store.GetAsync(fresh.ReferenceId!, full: false, CancellationToken.None));
    }

    [Fact]
    public async Task Merging_the_pending_index_entries_empties_the_gin_pending_lists_and_keeps_every_match()
    {
        var cables = Enumerable.Range(1470, 5).Select(i => TestCables.ToStore(TestCables.Make(i) with { Subject = "MERGEPENDING subject" })).ToArray();
        await _store.IngestAsync(cables, CancellationToken.None);
        await _store.IndexAllQueuedSearchAsync(CancellationToken.None);
        await using (var extension = database.DataSource.CreateCommand("CREATE EXTENSION IF NOT EXISTS pgstattuple"))
        {
            await extension.ExecuteNonQueryAsync();
        }

        Assert.True(await PendingPagesAsync() > 0, "fastupdate should have left the new entries pending");

        Assert.True(await _store.MergePendingIndexEntriesAsync(CancellationToken.None) > 0);

        Assert.Equal(0, await PendingPagesAsync());
        Assert.Equal(cables.Length, await _store.CountAsync(new CableQuery { Text = "mergepending" }, CancellationToken.None));
        Assert.Equal(0, await _store.MergePendingIndexEntriesAsync(CancellationToken.None));
    }

    private async Task<long> PendingPagesAsync()
    {
        await using var command = database.DataSource.CreateCommand(
            """SELECT (pgstatginindex('"IX_cable_search_search"')).pending_pages::bigint + (pgstatginindex('"IX_cables_tags"')).pending_pages""");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Duplicate_ids_in_one_batch_apply_in_input_order()
    {
        var v1 = TestCables.Make(1500);
        var v2 = v1 with { Body = "second version" };
        var v3 = v1 with { Body = "third version" };
        var other = TestCables.Make(1501);
        CableToStore[] batch =
        [
            TestCables.ToStore(v1), TestCables.ToStore(other), TestCables.ToStore(v1), TestCables.ToStore(v2), TestCables.ToStore(other),
            TestCables.ToStore(v3), TestCables.ToStore(v1),
        ];

        var results = await _store.IngestAsync(batch, CancellationToken.None);

        // The last v1 is an earlier version of the id: unchanged, and v3 stays current.
        Assert.Equal(
            [IngestOutcome.Created, IngestOutcome.Created, IngestOutcome.Unchanged, IngestOutcome.Revised, IngestOutcome.Unchanged, IngestOutcome.Revised, IngestOutcome.Unchanged],
            results.Select(r => r.Outcome));
        Assert.Equal(batch.Select(b => b.Cable.ReferenceId), results.Select(r => r.ReferenceId));
        var current = await _store.GetAsync(v1.ReferenceId!, full: true, CancellationToken.None);
        Assert.NotNull(current);
        TestCables.AssertSame(v3, current);
        Assert.Equal(2, current.RevisionCount);
        var revisions = await EarlierVersionsAsync(v1.ReferenceId!);
        Assert.Equal([1, 2], revisions.Select(r => r.Revision));
        Assert.Equal([0, 1], revisions.Select(r => r.Cable.RevisionCount));
        Assert.Equal([v1.Body, v2.Body], revisions.Select(r => r.Cable.Body));
    }

    [Fact]
    public async Task Concurrent_batches_with_the_same_new_ids_all_succeed_and_create_each_once()
    {
        var cables = Enumerable.Range(1600, 40).Select(i => TestCables.ToStore(TestCables.Make(i))).ToArray();
        // Six batches over the same ids in different orders (also provokes lock-order deadlocks, which are retried).
        var batches = Enumerable.Range(0, 6).Select(b => cables.OrderBy(c => HashCode.Combine(b, c.Cable.ReferenceId)).ToArray()).ToArray();

        var results = await Task.WhenAll(batches.Select(b => Task.Run(() => _store.IngestAsync(b, CancellationToken.None))));

        var all = results.SelectMany(r => r).ToArray();
        Assert.Equal(cables.Length * batches.Length, all.Length);
        foreach (var group in all.GroupBy(r => r.ReferenceId))
        {
            Assert.Equal(1, group.Count(r => r.Outcome == IngestOutcome.Created));
            Assert.Equal(batches.Length - 1, group.Count(r => r.Outcome == IngestOutcome.Unchanged));
        }

        for (var i = 0; i < batches.Length; i++)
        {
            Assert.Equal(batches[i].Select(c => c.Cable.ReferenceId), results[i].Select(r => r.ReferenceId));
        }
    }

    [Fact]
    public async Task Concurrent_revisions_of_one_cable_keep_every_earlier_content()
    {
        var original = TestCables.Make(1700);
        await _store.IngestAsync([TestCables.ToStore(original)], CancellationToken.None);
        var edits = Enumerable.Range(1, 5).Select(i => TestCables.ToStore(original with { Body = $"edit {i}" })).ToArray();

        var results = await Task.WhenAll(edits.Select(e => Task.Run(() => _store.IngestAsync([e], CancellationToken.None))));

        Assert.All(results, r => Assert.Equal(IngestOutcome.Revised, Assert.Single(r).Outcome));
        var current = await _store.GetAsync(original.ReferenceId!, full: true, CancellationToken.None);
        Assert.Equal(5, current!.RevisionCount);
        var revisions = (await EarlierVersionsAsync(original.ReferenceId!)).Select(v => v.Cable).ToList();
        Assert.Equal([0, 1, 2, 3, 4], revisions.Select(r => r.RevisionCount));
        Assert.Equal(original.Body, revisions[0].Body);
        // Every edit is either current or kept exactly once.
        var bodies = revisions.Skip(1).Select(r => r.Body).Append(current.Body).Order(StringComparer.Ordinal);
        Assert.Equal(edits.Select(e => e.Cable.Body).Order(StringComparer.Ordinal), bodies);
    }

    [Fact]
    public async Task A_batch_that_loses_an_insert_race_settles_against_the_winner()
    {
        var cable = TestCables.Make(1900);
        var item = TestCables.ToStore(cable);

        // Another writer inserts the same id and holds its transaction open: the batch's insert must wait for it.
        await using var winner = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await winner.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO cables (reference_id, created, classification_level, caveats, tags, message, body,
                                raw_text, content_sha256, source_format, revision_count)
            VALUES ($1, now(), 0, '{}', '{}', '', '', 'the winner''s text', sha256('the winner''s text'), 1, 0)
            """, winner, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = cable.ReferenceId! });
            await insert.ExecuteNonQueryAsync();
        }

        var ingest = Task.Run(() => _store.IngestAsync([item], CancellationToken.None));
        await WaitUntilAnIngestStatementWaitsOnALockAsync();
        await transaction.CommitAsync();
        var result = Assert.Single(await ingest);

        // The batch's COPY of a new id fails on the key once the winner commits; the upsert it falls back to sees the
        // winner's row: different text, so the batch revises it and keeps the winner's as revision 0.
        Assert.Equal(IngestOutcome.Revised, result.Outcome);
        var current = await _store.GetAsync(cable.ReferenceId!, full: true, CancellationToken.None);
        TestCables.AssertSame(cable, current!);
        Assert.Equal("the winner's text", Assert.Single(await EarlierVersionsAsync(cable.ReferenceId!)).Cable.RawText);
    }

    [Fact]
    public async Task A_batch_whose_revision_a_concurrent_writer_made_first_is_unchanged()
    {
        var original = TestCables.Make(1950);
        var edited = TestCables.ToStore(original with { Body = "edited by two writers" });
        await _store.IngestAsync([TestCables.ToStore(original)], CancellationToken.None);

        // Another writer replaces the content with the very same edit and holds its transaction open.
        await using var winner = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await winner.BeginTransactionAsync();
        await using (var update = new NpgsqlCommand(
            "UPDATE cables SET raw_text = $2, content_sha256 = sha256(convert_to($2, 'UTF8')), revision_count = revision_count + 1 WHERE reference_id = $1",
            winner, transaction))
        {
            update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = original.ReferenceId! });
            update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = edited.RawText });
            await update.ExecuteNonQueryAsync();
        }

        var ingest = Task.Run(() => _store.IngestAsync([edited], CancellationToken.None));
        await WaitUntilAnIngestStatementWaitsOnALockAsync();
        await transaction.CommitAsync();

        Assert.Equal(IngestOutcome.Unchanged, Assert.Single(await ingest).Outcome);
        Assert.Equal(1, (await _store.GetAsync(original.ReferenceId!, full: false, CancellationToken.None))!.RevisionCount);
        Assert.Empty(await EarlierVersionsAsync(original.ReferenceId!));
    }

    [Fact]
    public async Task An_empty_batch_stores_nothing() =>
        Assert.Empty(await _store.IngestAsync([], CancellationToken.None));

    [Fact]
    public async Task A_cable_without_reference_id_is_refused()
    {
        var cable = TestCables.Make(1800) with { ReferenceId = null };
        await Assert.ThrowsAsync<ArgumentException>(() => _store.IngestAsync([new CableToStore(cable, "raw", SourceFormat.Telegram)], CancellationToken.None));
    }

    [Fact]
    public async Task Validate_names_what_cannot_be_stored_and_ingest_refuses_it()
    {
        var good = TestCables.ToStore(TestCables.Make(2000));
        var withNul = good with { RawText = "text with \0 inside" };

        Assert.Null(CableStore.Validate(good));
        Assert.Contains("reference id", CableStore.Validate(good with { Cable = good.Cable with { ReferenceId = "" } }), StringComparison.Ordinal);
        Assert.Contains("NUL", CableStore.Validate(withNul), StringComparison.Ordinal);
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => _store.IngestAsync([good, withNul], CancellationToken.None));
        Assert.Contains("Item 1", refused.Message, StringComparison.Ordinal);
        Assert.Null(await _store.GetAsync(good.Cable.ReferenceId!, full: false, CancellationToken.None));
    }

    private async Task WaitUntilAnIngestStatementWaitsOnALockAsync()
    {
        await using var command = database.DataSource.CreateCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND (query LIKE 'WITH pass AS%' OR query LIKE 'COPY cables %')");
        for (var waited = 0; waited < 200; waited++)
        {
            if ((long)(await command.ExecuteScalarAsync())! > 0)
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("The ingest never waited on the open insert.");
    }

    /// <summary>The earlier versions of a cable (not the current one), oldest first.</summary>
    private async Task<List<CableVersion>> EarlierVersionsAsync(string referenceId) =>
        [.. (await _store.GetRevisionsAsync(referenceId, CableTexts.All, CancellationToken.None)).Where(v => !v.IsCurrent).Reverse()];

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>xmin changes with any write to a row; with ingested/revised times it proves a row was not rewritten.</summary>
    private async Task<List<string>> RowVersionsAsync(IEnumerable<CableToStore> cables)
    {
        await using var command = database.DataSource.CreateCommand(
            "SELECT reference_id || ' ' || xmin::text || ' ' || ingested_at::text || ' ' || coalesce(revised_at::text, '-') FROM cables WHERE reference_id = ANY($1) ORDER BY reference_id");
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. cables.Select(c => c.Cable.ReferenceId!)] });
        return await ReadStringsAsync(command);
    }

    private async Task<List<string>> StringsAsync(string sql, string referenceId)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = referenceId });
        return await ReadStringsAsync(command);
    }

    private async Task<List<string>> CitedAsync(string referenceId)
    {
        await using var command = database.DataSource.CreateCommand("SELECT cited_id FROM cable_references WHERE reference_id = $1 ORDER BY cited_id");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = referenceId });
        return await ReadStringsAsync(command);
    }

    private static async Task<List<string>> ReadStringsAsync(NpgsqlCommand command)
    {
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    [Fact]
    public async Task A_cable_revised_after_a_stream_read_its_keys_is_sent_once_in_place_as_it_is_now()
    {
        // A tag of their own makes this a stream by keys: first chunk 1 row, then the 11 keys (with their locations),
        // then chunks of 2 by location. Cables 8 and 9 are revised once the stream has read the keys.
        const string tag = "ZZMOVED";
        var cables = Enumerable.Range(0, 12)
            .Select(i => TestCables.Make(
                    8200 + i,
                    created: new DateTime(2007, 3, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(i))
                with { Tags = [new CableTag(tag, TagKind.Subject)], RawTags = [tag] })
            .ToArray();
        await _store.IngestAsync([.. cables.Select(c => TestCables.ToStore(c))], CancellationToken.None);
        var store = new CableStore(database.DataSource) { FirstChunkSize = 1, ChunkSize = 2 };
        var query = new CableQuery { AllTags = [tag] };

        var sent = new List<(string Id, string Subject)>();
        var chunks = 0;
        await foreach (var chunk in store.StreamChunksAsync(query, CancellationToken.None).Select(chunk => chunk.Select(c => ApiSubject(c.ReferenceId, c.Message)).ToList()))
        {
            sent.AddRange(chunk);
            if (++chunks == 2)
            {
                var revised = await _store.IngestAsync(
                    [.. cables[8..10].Select(c => TestCables.ToStore(c with { Subject = "REVISED " + c.ReferenceId }, rawText: "revised " + c.ReferenceId))],
                    CancellationToken.None);
                Assert.All(revised, r => Assert.Equal(IngestOutcome.Revised, r.Outcome));
            }
        }

        Assert.Equal(cables.Select(c => c.ReferenceId), sent.Select(s => s.Id));
        Assert.Equal(["REVISED " + cables[8].ReferenceId, "REVISED " + cables[9].ReferenceId], sent[8..10].Select(s => s.Subject));
        Assert.Equal(cables[10].Subject, sent[10].Subject);

        static (string, string) ApiSubject(string id, byte[] message) => (id, Cables.Api.V1.Cable.Parser.ParseFrom(message).Subject);
    }

    /// <summary>A FULL get returns <paramref name="expected"/>, and a FULL stream sends the very bytes of that cable.</summary>
    private async Task AssertFullReadsGiveAsync(ParsedCable expected)
    {
        var stored = await _store.GetAsync(expected.ReferenceId!, full: true, CancellationToken.None);
        TestCables.AssertSame(expected, stored!);
        var streamed = await _store.StreamChunksAsync(new CableQuery { Full = true }, CancellationToken.None)
            .SelectMany(chunk => chunk.ToAsyncEnumerable())
            .SingleAsync(c => c.ReferenceId == expected.ReferenceId);
        Assert.Equal(stored.ToByteArray(), streamed.Message);
    }
}
