using Cables.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Cables.Storage.Tests;

/// <summary>Migration <c>DeferredSearchIndex</c> both ways over stored cables: no vector is lost or left stale.</summary>
public sealed class SearchMigrationTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string Before = "20261128032733_OlderWritersClearMessages";

    [Fact]
    public async Task Vectors_move_to_the_search_table_and_back_and_text_queries_find_the_same_cables()
    {
        var store = database.CreateStore();
        var cables = Enumerable.Range(3000, 8).Select(i => TestCables.ToStore(TestCables.Make(i) with { Subject = $"Subject migrating{i % 2}" })).ToArray();
        await store.IngestAsync(cables, CancellationToken.None);
        await store.IndexAllQueuedSearchAsync(CancellationToken.None);
        Assert.Equal(4, await CountAsync(store, "migrating0"));

        await using (var db = database.CreateDbContext())
        {
            await db.GetService<IMigrator>().MigrateAsync(Before);
        }

        // Down: the generated column is back and computes every vector.
        Assert.Equal(4L, await database.ScalarAsync("SELECT count(*) FROM cables WHERE search @@ websearch_to_tsquery('english', 'migrating1')"));

        await using (var db = database.CreateDbContext())
        {
            await db.Database.MigrateAsync();
        }

        // Up: the stored vectors move across as they are, so nothing waits in the queue.
        Assert.Equal(8L, await database.ScalarAsync("SELECT count(*) FROM cable_search"));
        Assert.Equal(0L, await database.ScalarAsync("SELECT count(*) FROM cable_search_queue"));
        Assert.Equal(4, await CountAsync(store, "migrating0"));
        Assert.Equal(4, await CountAsync(store, "migrating1"));
    }

    private static async Task<long> CountAsync(CableStore store, string text) =>
        await store.CountAsync(new CableQuery { Text = text }, CancellationToken.None);
}
