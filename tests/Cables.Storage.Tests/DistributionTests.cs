using System.Text.RegularExpressions;

namespace Cables.Storage.Tests;

/// <summary>
/// The migrated schema can be distributed by Citus on <c>reference_id</c>, with every table co-located with
/// <c>cables</c>, by the statements deploy/README.md lists. Read from the catalog, so a migration that breaks it fails here.
/// </summary>
public sealed partial class DistributionTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    // cable_commits, WatchCables' commit ledger, holds one row per writing transaction, not per cable: it is not
    // distributed, and the guide says so (The_deploy_guide_distributes_every_table_co_located_with_cables).
    private const string LedgerTable = "cable_commits";

    private const string CableTables = $"n.nspname = 'public' AND c.relkind = 'r' AND c.relname NOT IN ('__EFMigrationsHistory', '{LedgerTable}')";

    [Fact]
    public async Task Every_table_holds_the_distribution_column_with_the_type_and_collation_of_cables()
    {
        var columns = await RowsAsync($"""
            SELECT c.relname, coalesce(format_type(a.atttypid, a.atttypmod) || ' ' || co.collname, 'missing')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'reference_id' AND NOT a.attisdropped
            LEFT JOIN pg_collation co ON co.oid = a.attcollation
            WHERE {CableTables}
            """);

        Assert.Contains(columns, c => c.Table == "cables");
        Assert.All(columns, c => Assert.True(c.Value == "text C", $"{c.Table}.reference_id: {c.Value}"));
    }

    private const string UniqueIndexes = $"""
        SELECT c.relname, i.indexrelid::regclass::text || (CASE WHEN a.attnum = ANY (i.indkey) THEN ' ok' ELSE ' leaves it out' END)
        FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'reference_id'
        WHERE {CableTables} AND i.indisunique
        """;

    [Fact]
    public async Task Every_primary_key_and_unique_index_includes_the_reference_id()
    {
        var unique = await RowsAsync(UniqueIndexes);

        Assert.Equal(await TablesAsync(), unique.Where(u => u.Value.EndsWith(" ok", StringComparison.Ordinal)).Select(u => u.Table).Distinct().Order(StringComparer.Ordinal));
        Assert.All(unique, u => Assert.EndsWith(" ok", u.Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_foreign_key_or_exclusion_constraint_leaves_out_the_reference_id()
    {
        var constraints = await RowsAsync($"""
            SELECT c.relname, k.conname || ' ' || k.contype::text
            FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'reference_id'
            WHERE {CableTables} AND k.contype IN ('f', 'x') AND NOT (a.attnum = ANY (k.conkey))
            """);

        Assert.Empty(constraints);
    }

    [Fact]
    public async Task Columns_drawn_from_sequences_are_bigint()
    {
        // Citus gives each node its own range of a sequence's values, which only a bigint has room for.
        var narrow = await RowsAsync($"""
            SELECT c.relname, a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE {CableTables} AND a.attnum > 0 AND NOT a.attisdropped
              AND (a.attidentity <> '' OR pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%')
              AND a.atttypid <> 'bigint'::regtype
            """);

        Assert.Empty(narrow);
    }

    [Fact]
    public async Task The_checks_catch_a_unique_key_without_the_reference_id()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE cable_notes (reference_id text COLLATE \"C\" NOT NULL, note_id bigint UNIQUE)";
            await create.ExecuteNonQueryAsync();
        }

        var unique = await RowsAsync(UniqueIndexes, connection);
        await transaction.RollbackAsync();

        Assert.Contains(("cable_notes", "cable_notes_note_id_key leaves it out"), unique);
    }

    [Fact]
    public async Task The_deploy_guide_distributes_every_table_co_located_with_cables()
    {
        var guide = await File.ReadAllTextAsync(RepositoryFolder.Path("deploy", "README.md"));
        var statements = DistributeStatement().Matches(guide).Select(m => (Table: m.Groups["table"].Value, ColocatedWith: m.Groups["with"].Value)).ToList();

        Assert.Equal(("cables", ""), statements[0]);
        Assert.All(statements.Skip(1), s => Assert.Equal("cables", s.ColocatedWith));
        Assert.Equal(await TablesAsync(), statements.Select(s => s.Table).Order(StringComparer.Ordinal));
        Assert.Contains($"`{LedgerTable}`", guide, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"create_distributed_table\('(?<table>\w+)', 'reference_id'(?:, colocate_with => '(?<with>\w+)')?\)")]
    private static partial Regex DistributeStatement();

    private async Task<List<string>> TablesAsync() =>
        [.. (await RowsAsync($"SELECT c.relname, '' FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {CableTables}"))
            .Select(r => r.Table).Order(StringComparer.Ordinal)];

    private async Task<List<(string Table, string Value)>> RowsAsync(string sql, Npgsql.NpgsqlConnection? connection = null)
    {
        await using var command = connection is null ? database.DataSource.CreateCommand(sql) : new Npgsql.NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }
}
