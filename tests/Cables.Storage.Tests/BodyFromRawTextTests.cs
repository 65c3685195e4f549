using Cables.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace Cables.Storage.Tests;

/// <summary>
/// Migration <c>BodyFromRawText</c>: a body stored as a map over the raw text reads back the same everywhere (model,
/// encoded stream, revisions, full-text search), older writers' rows stay right, and going back refuses.
/// </summary>
public sealed class BodyFromRawTextTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string Before = "20261128070000_ParagraphsFromBody";
    private const string Refusing = "20261128110423_BodyFromRawText";

    private readonly CableStore _store = database.CreateStore();

    [Fact]
    public async Task A_mapped_body_reads_back_in_every_view_and_its_revision_keeps_the_old_body()
    {
        var (first, firstRaw) = Mapped(4000, "1. (C) The first version mentions ornithopters.\n\n2. (U) Second paragraph.");
        var (second, secondRaw) = Mapped(4000, "1. (C) The second version mentions gyrocopters.");
        await _store.IngestAsync([TestCables.ToStore(first, firstRaw)], CancellationToken.None);
        Assert.True(await IsMappedAsync(first.ReferenceId!));

        var stored = await _store.GetAsync(first.ReferenceId!, full: true, CancellationToken.None);
        TestCables.AssertSame(first, stored!.Cable);
        Assert.Equal(firstRaw, stored.RawText);
        var encoded = new List<EncodedCable>();
        await foreach (var chunk in _store.StreamMessageChunksAsync(new CableQuery { Full = true, Text = null, Origins = [first.Origin!] }, CancellationToken.None))
        {
            encoded.AddRange(chunk.Where(c => c.ReferenceId == first.ReferenceId));
        }

        var message = Api.V1.Cable.Parser.ParseFrom(Assert.Single(encoded).Message);
        Assert.Equal(first.Body, message.Body);
        Assert.Equal(firstRaw, message.RawText);
        Assert.Equal(2, message.Paragraphs.Count);

        await _store.IndexAllQueuedSearchAsync(CancellationToken.None);
        Assert.Equal(1, await _store.CountAsync(new CableQuery { Text = "ornithopters" }, CancellationToken.None));

        Assert.Equal(IngestOutcome.Revised, (await _store.IngestAsync([TestCables.ToStore(second, secondRaw)], CancellationToken.None)).Single().Outcome);
        await _store.IndexAllQueuedSearchAsync(CancellationToken.None);

        Assert.Equal(second.Body, (await _store.GetAsync(first.ReferenceId!, full: true, CancellationToken.None))!.Cable.Body);
        var revision = Assert.Single(await _store.GetRevisionsAsync(first.ReferenceId!, CancellationToken.None));
        Assert.Equal(first.Body, revision.Cable.Body);
        Assert.Equal(first.Paragraphs, revision.Cable.Paragraphs);
        Assert.Equal(0, await _store.CountAsync(new CableQuery { Text = "ornithopters" }, CancellationToken.None));
        Assert.Equal(1, await _store.CountAsync(new CableQuery { Text = "gyrocopters" }, CancellationToken.None));

        // As a release from before BodyFromRawText archives a mapped row: neither body nor map. The raw text gives it.
        await ExecuteAsync("UPDATE cable_revisions SET parsed = parsed - 'bodyMap' WHERE reference_id = $1", first.ReferenceId!);
        var archivedByOlder = Assert.Single(await _store.GetRevisionsAsync(first.ReferenceId!, CancellationToken.None));
        Assert.Equal(Parsing.CableParser.Parse(firstRaw).Body, archivedByOlder.Cable.Body);
        Assert.Contains("ornithopters", archivedByOlder.Cable.Body, StringComparison.Ordinal);
        Assert.Equal(firstRaw, archivedByOlder.RawText);
    }

    [Fact]
    public async Task An_older_writer_that_stores_the_body_clears_the_map_and_queues_the_cable_again()
    {
        var (cable, raw) = Mapped(4100, "1. (C) Mapped body about airships.");
        await _store.IngestAsync([TestCables.ToStore(cable, raw)], CancellationToken.None);
        await _store.IndexAllQueuedSearchAsync(CancellationToken.None);

        // What a release before BodyFromRawText writes on a revision: the body, not the map.
        await ExecuteAsync("UPDATE cables SET body = '1. (C) Stored body about balloons.' WHERE reference_id = $1", cable.ReferenceId!);

        Assert.False(await IsMappedAsync(cable.ReferenceId!));
        Assert.Equal("1. (C) Stored body about balloons.", (await _store.GetAsync(cable.ReferenceId!, full: true, CancellationToken.None))!.Cable.Body);
        Assert.Equal(1L, await _store.CountQueuedSearchAsync(CancellationToken.None));
        await _store.IndexAllQueuedSearchAsync(CancellationToken.None);
        Assert.Equal(1, await _store.CountAsync(new CableQuery { Text = "balloons" }, CancellationToken.None));
        Assert.Equal(0, await _store.CountAsync(new CableQuery { Text = "airships" }, CancellationToken.None));
    }

    [Fact]
    public async Task A_row_with_neither_body_nor_map_is_refused_and_a_damaged_map_is_named_in_sql_too()
    {
        var (cable, raw) = Mapped(4200, "1. (C) Whole.");
        await _store.IngestAsync([TestCables.ToStore(cable, raw)], CancellationToken.None);

        var refused = await Assert.ThrowsAsync<PostgresException>(() =>
            ExecuteAsync("UPDATE cables SET body = NULL, body_map = NULL WHERE reference_id = $1", cable.ReferenceId!));
        Assert.Equal("ck_cables_body_stored", refused.ConstraintName);

        await using var command = database.DataSource.CreateCommand("SELECT cable_body(NULL, 'ONE LINE', '\\x0400'::bytea)");
        var damaged = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteScalarAsync());
        Assert.Contains("body map is damaged", damaged.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Down_refuses_while_a_cable_keeps_its_body_only_as_a_map_and_the_cable_stays_whole()
    {
        var (cable, raw) = Mapped(4300, "1. (C) Only as a map.");
        await _store.IngestAsync([TestCables.ToStore(cable, raw)], CancellationToken.None);

        await using (var db = database.CreateDbContext())
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => db.GetService<IMigrator>().MigrateAsync(Before));
            Assert.Contains("keep their body only as a map over their raw text", refused.MessageText, StringComparison.Ordinal);
        }

        // Each migration runs in its own transaction: the later ones went down, then this one refused and stays applied.
        await using (var db = database.CreateDbContext())
        {
            Assert.Equal(Refusing, (await db.Database.GetAppliedMigrationsAsync()).Last());
            await db.Database.MigrateAsync();
        }

        TestCables.AssertSame(cable, (await _store.GetAsync(cable.ReferenceId!, full: true, CancellationToken.None))!.Cable);
    }

    /// <summary>A test cable whose body is lines of its raw text, as a parse cuts it: the store keeps it as a map.</summary>
    private static (Parsing.Model.ParsedCable Cable, string RawText) Mapped(int seed, string body)
    {
        var cable = TestCables.Make(seed) with { Body = body, Paragraphs = Parsing.CableParser.ReadParagraphs(body) };
        var raw = $"VZCZC{seed}\nDE RUEHXX #{seed} 0010000  \n\n\n{body.Replace("\n", "   \n", StringComparison.Ordinal)}\n";
        return (cable, raw);
    }

    private async Task<bool> IsMappedAsync(string referenceId)
    {
        await using var command = database.DataSource.CreateCommand("SELECT body IS NULL AND body_map IS NOT NULL FROM cables WHERE reference_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = referenceId });
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql, string referenceId)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = referenceId });
        await command.ExecuteNonQueryAsync();
    }

}
