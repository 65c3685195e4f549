using System.Diagnostics;
using System.Text.Json;
using ApiCable = Cables.Api.V1.Cable;
using Cables.Api.V1.Wire;
using Cables.Parsing;
using Cables.Parsing.Model;
using Cables.Testing;
using Google.Protobuf;
using Npgsql;
using Xunit.Abstractions;

namespace Cables.Storage.Tests;

/// <summary>
/// The real corpus through the parser into the store and back: every parsed record must survive the round trip, and
/// every encoded message a stream sends must be the very bytes of the message built from the parsed record.
/// </summary>
public sealed class CorpusTests(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Every_corpus_cable_round_trips_and_a_second_load_is_unchanged()
    {
        var files = Directory.GetFiles(SharedFolder.Path("corpus", "cables"), "*.txt").Order(StringComparer.Ordinal).ToArray();
        // The file name is the archive's reference id: handed over as source metadata, as the HTML and CSV sources do.
        var items = files
            .Select(f => (Text: File.ReadAllText(f), Metadata: new SourceMetadata { ReferenceId = Path.GetFileNameWithoutExtension(f) }))
            .Select(f => new CableToStore(CableParser.Parse(f.Text, f.Metadata), f.Text, SourceFormat.Telegram))
            .ToArray();
        Assert.All(items, i => Assert.False(string.IsNullOrEmpty(i.Cable.ReferenceId)));
        var store = database.CreateStore();

        var clock = Stopwatch.StartNew();
        var first = await IngestAsync(store, items);
        var load = clock.Elapsed;
        clock.Restart();
        var second = await IngestAsync(store, items);
        var reload = clock.Elapsed;

        var megabytes = items.Sum(i => (long)i.RawText.Length) / 1e6;
        output.WriteLine($"{items.Length} cables ({megabytes:F1} MB raw) stored in {load.TotalSeconds:F1} s ({items.Length / load.TotalSeconds:F0}/s); reload {reload.TotalSeconds:F1} s");

        // The corpus may hold the same reference id twice: the later text then revises the earlier one.
        var firstOccurrence = new HashSet<string>(StringComparer.Ordinal);
        var expected = items.Select(i => firstOccurrence.Add(i.Cable.ReferenceId!) ? IngestOutcome.Created : IngestOutcome.Revised).ToArray();
        Assert.Equal(expected.Count(e => e == IngestOutcome.Created), first.Count(r => r.Outcome == IngestOutcome.Created));
        Assert.All(second, r => Assert.Equal(IngestOutcome.Unchanged, r.Outcome));

        var latest = items.GroupBy(i => i.Cable.ReferenceId!).ToDictionary(g => g.Key, g => g.Last());
        clock.Restart();
        var read = 0;
        await foreach (var stored in store.StreamAsync(new CableQuery { Full = true }, CancellationToken.None))
        {
            var item = latest[stored.Cable.ReferenceId!];
            TestCables.AssertSame(item.Cable with { Created = item.Cable.Created is { } c ? CableStore.ToUtc(c) : null }, stored.Cable);
            Assert.Equal(item.RawText, stored.RawText);
            read++;
        }

        output.WriteLine($"streamed {read} FULL cables back in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(latest.Count, read);

        // Every corpus body gives the parse's paragraphs, so no row stores them apart (migration ParagraphsFromBody).
        await using (var apart = database.DataSource.CreateCommand("SELECT count(*) FROM cables WHERE paragraphs_message IS NOT NULL OR paragraphs IS NOT NULL"))
        {
            Assert.Equal(0L, await apart.ExecuteScalarAsync());
        }

        // Nearly every corpus body is kept as a map over its raw text (migration BodyFromRawText), and SQL reads it
        // through cable_body(), as the search indexer does, to the very text the store reads.
        await using (var bodies = database.DataSource.CreateCommand("SELECT reference_id, body IS NULL, cable_body(body, raw_text, body_map) FROM cables"))
        {
            await using var reader = await bodies.ExecuteReaderAsync();
            var mapped = 0;
            while (await reader.ReadAsync())
            {
                mapped += reader.GetBoolean(1) ? 1 : 0;
                Assert.Equal(latest[reader.GetString(0)].Cable.Body, reader.GetString(2));
            }

            Assert.InRange(mapped, latest.Count * 95 / 100, latest.Count);
        }

        // The indexer's text keeps the raw lines' trailing blanks, which must leave every vector as the body's.
        await using (var vectors = database.DataSource.CreateCommand(
            """
            SELECT count(*) FILTER (WHERE to_tsvector('english', cable_body(body, raw_text, body_map, exact => false))
                                          IS DISTINCT FROM to_tsvector('english', cable_body(body, raw_text, body_map)))
            FROM cables
            """))
        {
            Assert.Equal(0L, await vectors.ExecuteScalarAsync());
        }

        await AssertMessagesAreThoseOfTheRecordsAsync(store, latest.Count);

        // Rows stored before migration CableMessage have no message: streams build theirs from the JSON columns.
        // Rows stored before ParagraphsMessage have JSON paragraphs only: reads of both kinds turn them into the same.
        await using (var forget = database.DataSource.CreateCommand("UPDATE cables SET message = NULL WHERE hashtext(reference_id) % 3 = 0"))
        {
            Assert.InRange(await forget.ExecuteNonQueryAsync(), latest.Count / 5, latest.Count / 2);
        }

        // A third as stored before ParagraphsMessage (JSON), a third as stored before ParagraphsFromBody (encoded).
        var all = await store.StreamAsync(new CableQuery { Full = true }, CancellationToken.None).ToListAsync();
        var asJson = all.Where((_, i) => i % 3 == 0).ToList();
        var asEncoded = all.Where((_, i) => i % 3 == 1).ToList();
        // As the release between the two migrations wrote them (a message, JSON paragraphs), which the trigger that
        // clears the messages of older writers' rows must not touch here.
        await using (var disable = database.DataSource.CreateCommand("ALTER TABLE cables DISABLE TRIGGER cables_clear_stale_messages"))
        {
            await disable.ExecuteNonQueryAsync();
        }

        await using (var toJson = database.DataSource.CreateCommand(
            "UPDATE cables c SET paragraphs = v.json::jsonb, paragraphs_message = NULL FROM unnest($1::text[], $2::text[]) v(id, json) WHERE c.reference_id = v.id"))
        {
            toJson.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. asJson.Select(c => c.Cable.ReferenceId!)] });
            toJson.Parameters.Add(new NpgsqlParameter<string[]>
            {
                TypedValue = [.. asJson.Select(c => JsonSerializer.Serialize(c.Cable.Paragraphs, CableJsonContext.Default.IReadOnlyListParagraph))],
            });
            Assert.Equal(asJson.Count, await toJson.ExecuteNonQueryAsync());
        }

        await using (var toEncoded = database.DataSource.CreateCommand(
            "UPDATE cables c SET paragraphs_message = v.encoded FROM unnest($1::text[], $2::bytea[]) v(id, encoded) WHERE c.reference_id = v.id"))
        {
            toEncoded.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. asEncoded.Select(c => c.Cable.ReferenceId!)] });
            toEncoded.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = [.. asEncoded.Select(c => StoredCableParts.EncodeParagraphs(c.Cable.Paragraphs))] });
            Assert.Equal(asEncoded.Count, await toEncoded.ExecuteNonQueryAsync());
        }

        await using (var enable = database.DataSource.CreateCommand("ALTER TABLE cables ENABLE TRIGGER cables_clear_stale_messages"))
        {
            await enable.ExecuteNonQueryAsync();
        }

        // The JSON third with its body stored too, as a release before BodyFromRawText revises a row: the writer sets
        // the body and a trigger clears the map it left behind.
        await using (var toBody = database.DataSource.CreateCommand(
            "UPDATE cables SET body = cable_body(body, raw_text, body_map) WHERE reference_id = ANY($1) AND body IS NULL"))
        {
            toBody.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. asJson.Select(c => c.Cable.ReferenceId!)] });
            Assert.InRange(await toBody.ExecuteNonQueryAsync(), asJson.Count * 9 / 10, asJson.Count);
        }

        await using (var both = database.DataSource.CreateCommand("SELECT count(*) FROM cables WHERE body IS NOT NULL AND body_map IS NOT NULL"))
        {
            Assert.Equal(0L, await both.ExecuteScalarAsync());
        }

        await foreach (var stored in store.StreamAsync(new CableQuery { Full = true }, CancellationToken.None))
        {
            Assert.Equal(latest[stored.Cable.ReferenceId!].Cable.Paragraphs, stored.Cable.Paragraphs);
            Assert.Equal(latest[stored.Cable.ReferenceId!].Cable.Body, stored.Cable.Body);
        }

        await AssertMessagesAreThoseOfTheRecordsAsync(store, latest.Count);
    }

    private static async Task AssertMessagesAreThoseOfTheRecordsAsync(CableStore store, int expected)
    {
        foreach (var full in new[] { false, true })
        {
            var query = new CableQuery { Full = full };
            var records = await store.StreamAsync(query, CancellationToken.None).ToListAsync();
            var messages = new List<EncodedCable>(records.Count);
            await foreach (var chunk in store.StreamMessageChunksAsync(query, CancellationToken.None))
            {
                messages.AddRange(chunk);
            }

            Assert.Equal(expected, messages.Count);
            Assert.Equal(records.Select(r => r.Cable.ReferenceId), messages.Select(m => m.ReferenceId));
            for (var i = 0; i < records.Count; i++)
            {
                var built = StoredCableMessages.ToApi(records[i], full);
                // The message first, for a readable difference; then the bytes, which must be the same too.
                Assert.Equal(built, ApiCable.Parser.ParseFrom(messages[i].Message));
                Assert.Equal(built.ToByteArray(), messages[i].Message);
            }
        }
    }

    private static async Task<List<StoreResult>> IngestAsync(CableStore store, CableToStore[] items)
    {
        var results = new List<StoreResult>(items.Length);
        foreach (var batch in items.Chunk(500))
        {
            results.AddRange(await store.IngestAsync(batch, CancellationToken.None));
        }

        return results;
    }
}
