namespace Cables.Storage.Tests;

/// <summary>
/// The side tables (citations, revisions, vector, queue entry) declare no foreign key to <c>cables</c>
/// (migration <c>SideTablesWithoutForeignKeys</c>): triggers delete a cable's rows with it, as the keys' cascade did.
/// </summary>
public sealed class DependentRowsTests(TestDatabase database) : IClassFixture<TestDatabase>
{

    private static readonly string[] SideTables = ["cable_references", "cable_revisions", "cable_search", "cable_search_queue"];

    [Fact]
    public async Task Deleting_cables_deletes_their_rows_in_every_side_table_and_no_others()
    {
        var store = database.CreateStore();
        CableReference[] cites = [new() { Kind = ReferenceKind.Cable, Id = "05CITED1", Label = "A", Text = "REFTEL" }];
        var kept = TestCables.Make(4100, referenceId: "05KEPT4100") with { References = cites };
        var deleted = TestCables.Make(4101, referenceId: "05GONE4101") with { References = cites };
        var indexed = TestCables.Make(4102, referenceId: "05GONE4102");
        await store.IngestAsync([TestCables.ToStore(kept), TestCables.ToStore(deleted), TestCables.ToStore(indexed)], CancellationToken.None);
        await store.IndexAllQueuedSearchAsync(CancellationToken.None);

        // A revision archives the old text, and queues the cable again: every side table holds a row of a deleted cable.
        await store.IngestAsync([TestCables.ToStore(deleted with { Subject = "Subject revised" }, rawText: "RAW revised")], CancellationToken.None);
        await store.IngestAsync([TestCables.ToStore(kept with { Subject = "Subject revised" }, rawText: "RAW kept revised")], CancellationToken.None);
        var before = await RowsAsync("05KEPT4100");
        Assert.All(SideTables.Where(t => t != "cable_search"), t => Assert.True(before[t] > 0, t));
        Assert.Equal(1, (await RowsAsync("05GONE4102"))["cable_search"]);

        await database.ExecuteAsync("DELETE FROM cables WHERE reference_id LIKE '05GONE%'");

        Assert.All((await RowsAsync("05GONE4101")).Concat(await RowsAsync("05GONE4102")), row => Assert.Equal(0, row.Value));
        Assert.Equal(before, await RowsAsync("05KEPT4100"));
    }

    [Fact]
    public async Task Truncating_cables_empties_every_side_table()
    {
        var store = database.CreateStore();
        await store.IngestAsync([.. Enumerable.Range(4200, 4).Select(i => TestCables.ToStore(TestCables.Make(i)))], CancellationToken.None);
        await store.IndexQueuedSearchAsync(2, CancellationToken.None);

        await database.ExecuteAsync("TRUNCATE cables");

        foreach (var table in SideTables)
        {
            Assert.Equal(0L, await database.ScalarAsync($"SELECT count(*) FROM {table}"));
        }
    }

    [Fact]
    public async Task No_side_table_declares_a_foreign_key_to_cables()
    {
        Assert.Equal(0L, await database.ScalarAsync(ForeignKeysToCables));
        Assert.Equal(2L, await database.ScalarAsync("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'cables_%_dependents'"));
    }

    private const string ForeignKeysToCables = "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND confrelid = 'cables'::regclass";

    /// <summary>How many rows each side table holds for <paramref name="referenceId"/>.</summary>
    private async Task<Dictionary<string, long>> RowsAsync(string referenceId)
    {
        var rows = new Dictionary<string, long>();
        foreach (var table in SideTables)
        {
            await using var command = database.DataSource.CreateCommand($"SELECT count(*) FROM {table} WHERE reference_id = $1");
            command.Parameters.Add(new Npgsql.NpgsqlParameter<string> { TypedValue = referenceId });
            rows[table] = (long)(await command.ExecuteScalarAsync())!;
        }

        return rows;
    }
}
