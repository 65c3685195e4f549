using Cables.Storage.Schema;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cables.Storage.Tests;

public sealed class SchemaTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Migrating_an_empty_database_creates_every_table_and_leaves_nothing_pending()
    {
        var tables = await StringsAsync("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
        Assert.Equal(["__EFMigrationsHistory", "cable_changes", "cable_commits", "cable_references", "cable_revisions", "cable_search", "cable_search_queue", "cables"], tables);

        await using var db = new CablesDbContext(new DbContextOptionsBuilder<CablesDbContext>().UseNpgsql(database.ConnectionString).Options);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Fact]
    public async Task Large_columns_use_lz4_compression()
    {
        var compression = await StringsAsync("""
            SELECT c.relname || '.' || a.attname || '=' || a.attcompression::text
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            WHERE c.relname IN ('cables', 'cable_revisions', 'cable_search') AND a.attcompression::text <> '' AND NOT a.attisdropped
            ORDER BY 1
            """);

        Assert.Equal(
            ["cable_revisions.body=l", "cable_revisions.message=l", "cable_revisions.raw_text=l", "cable_search.search=l", "cables.body=l", "cables.message=l", "cables.raw_text=l"],
            compression);
    }

    [Fact]
    public async Task Indexes_serve_each_query_shape()
    {
        var indexes = await StringsAsync("""
            SELECT i.indexname || ' ' || i.indexdef || coalesce(' ' || array_to_string(c.reloptions, ','), '')
            FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname
            WHERE i.schemaname = 'public'
            ORDER BY i.indexname
            """);

        Assert.Contains(indexes, i => i.Contains("ON public.cables USING btree (origin, created, reference_id)", StringComparison.Ordinal));
        Assert.Contains(indexes, i => i.Contains("ON public.cables USING btree (created, reference_id)", StringComparison.Ordinal));
        Assert.Contains(indexes, i => i.Contains("ON public.cables USING gin (tags)", StringComparison.Ordinal) && i.EndsWith("fastupdate=true,gin_pending_list_limit=32768", StringComparison.Ordinal));
        Assert.Contains(indexes, i => i.Contains("ON public.cable_search USING gin (search)", StringComparison.Ordinal) && i.EndsWith("fastupdate=true,gin_pending_list_limit=32768", StringComparison.Ordinal));
        Assert.Contains(indexes, i => i.Contains("ON public.cable_references USING btree (cited_id, reference_id)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reference_ids_sort_in_byte_order()
    {
        Assert.Equal(["C"], await StringsAsync("SELECT collation_name FROM information_schema.columns WHERE table_name = 'cables' AND column_name = 'reference_id'"));
    }

    [Fact]
    public async Task The_service_registration_provides_a_working_store_and_context()
    {
        var services = new ServiceCollection().AddCableStorage(database.ConnectionString);
        await using var provider = services.BuildServiceProvider(validateScopes: true);

        await CableStorageSetup.MigrateAsync(provider, CancellationToken.None); // already migrated: a no-op
        var store = provider.GetRequiredService<CableStore>();
        var cable = TestCables.Make(5000);
        var result = await store.IngestAsync([TestCables.ToStore(cable)], CancellationToken.None);

        Assert.Equal(IngestOutcome.Created, Assert.Single(result).Outcome);
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CablesDbContext>();
        var row = await db.Cables.AsNoTracking().SingleAsync(c => c.ReferenceId == cable.ReferenceId);
        Assert.Equal(cable.Subject, row.Subject);
        Assert.Same(provider.GetRequiredService<NpgsqlDataSource>(), provider.GetRequiredService<NpgsqlDataSource>());
    }

    private async Task<List<string>> StringsAsync(string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
