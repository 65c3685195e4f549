namespace Cables.Storage.Tests;

/// <summary>
/// The full-text vectors are computed after the rows commit, from a queue that triggers on <c>cables</c> fill: every
/// writer's rows are queued, a change of subject or body queues the cable again, and an indexer never leaves a vector
/// of text the cable no longer has.
/// </summary>
public sealed class SearchIndexTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private readonly CableStore _store = database.CreateStore();

    [Fact]
    public async Task Stored_cables_are_found_by_text_once_their_vectors_are_computed()
    {
        // A batch of new cables takes the COPY path, a batch with a repeated id the upsert: both are queued.
        var copied = Enumerable.Range(2000, 6).Select(i => Word(i, "walrusone")).ToArray();
        var upserted = Enumerable.Range(2010, 4).Select(i => Word(i, "walrustwo")).ToArray();
        await _store.IngestAsync(copied, CancellationToken.None);
        await _store.IngestAsync([.. upserted, upserted[0]], CancellationToken.None);

        Assert.Equal(0, await CountTextAsync("walrusone"));
        Assert.Equal(0, await CountTextAsync("walrustwo"));
        Assert.Equal(10, await QueuedAsync("walrus"));

        Assert.True(await _store.IndexAllQueuedSearchAsync(CancellationToken.None) >= 10);

        Assert.Equal(6, await CountTextAsync("walrusone"));
        Assert.Equal(4, await CountTextAsync("walrustwo"));
        Assert.Equal(0, await QueuedAsync("walrus"));
        Assert.Equal(0, await _store.IndexQueuedSearchAsync(100, CancellationToken.None));
    }

    [Fact]
    public async Task Rows_other_writers_insert_are_queued_and_only_text_changes_queue_a_cable_again()
    {
        await _store.IngestAsync([Word(2100, "ibexone")], CancellationToken.None);
        await _store.IndexAllQueuedSearchAsync(CancellationToken.None);

        // A hand-written copy of the row, as another release or an operator's fix would insert it.
        await database.ExecuteAsync("""
            INSERT INTO cables (reference_id, created, origin, classification_level, caveats, tags, subject, message, body,
                                raw_text, content_sha256, source_format, revision_count)
            SELECT '09HANDMADE2100', created, origin, classification_level, caveats, tags, subject, message, body,
                   raw_text, content_sha256, source_format, 0
            FROM cables WHERE reference_id = '05TEST2100'
            """);
        Assert.Equal(1, await QueuedAsync("HANDMADE2100"));
        await _store.IndexAllQueuedSearchAsync(CancellationToken.None);
        Assert.Equal(2, await CountTextAsync("ibexone"));

        // Tags are not in the vector: the cable stays found and is not queued.
        await database.ExecuteAsync("UPDATE cables SET tags = ARRAY['PREL'] WHERE reference_id = '09HANDMADE2100'");
        Assert.Equal(0, await QueuedAsync("HANDMADE2100"));

        // A new body is: the stale vector goes at once, and the new one comes with the indexer.
        await database.ExecuteAsync("UPDATE cables SET body = 'ibextwo' WHERE reference_id = '09HANDMADE2100'");
        Assert.Equal(1, await QueuedAsync("HANDMADE2100"));
        Assert.Equal(1, await CountTextAsync("ibexone"));
        await _store.IndexAllQueuedSearchAsync(CancellationToken.None);
        Assert.Equal(2, await CountTextAsync("ibexone")); // its subject still says ibexone
        Assert.Equal(1, await CountTextAsync("ibextwo"));
    }

    [Fact]
    public async Task A_revision_committed_while_an_indexer_holds_the_cable_queues_it_again()
    {
        var original = Word(2200, "okapiold");
        await _store.IngestAsync([original], CancellationToken.None);

        // An indexer has locked the queue entry: the revision's trigger waits for it.
        await using var indexer = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await indexer.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand(CableStore.LockQueuedSql.Replace("cable_search_queue", "cable_search_queue WHERE reference_id = '05TEST2200'", StringComparison.Ordinal), indexer, transaction))
        {
            take.Parameters.Add(new NpgsqlParameter<int> { TypedValue = 10 });
            Assert.Equal("05TEST2200", await take.ExecuteScalarAsync());
        }

        var revised = TestCables.Make(2200) with { Subject = "okapinew", Body = "okapinew" };
        var revision = _store.IngestAsync([TestCables.ToStore(revised)], CancellationToken.None);
        await Task.Delay(300);
        Assert.False(revision.IsCompleted, "the revision should wait for the indexer's lock");

        // The indexer reads the text as its statement's snapshot has it (the revision is not committed) and commits.
        await using (var index = new NpgsqlCommand(CableStore.IndexLockedSql, indexer, transaction))
        {
            index.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ["05TEST2200"] });
            Assert.Equal(1, await index.ExecuteScalarAsync());
        }

        await transaction.CommitAsync();
        Assert.Equal(IngestOutcome.Revised, Assert.Single(await revision).Outcome);

        // The old vector the indexer wrote is gone, the cable is queued, and the next pass indexes the new text.
        Assert.Equal(0, await CountTextAsync("okapiold"));
        Assert.Equal(1, await QueuedAsync("05TEST2200"));
        await _store.IndexAllQueuedSearchAsync(CancellationToken.None);
        Assert.Equal(0, await CountTextAsync("okapiold"));
        Assert.Equal(1, await CountTextAsync("okapinew"));
    }

    private static CableToStore Word(int seed, string word) =>
        TestCables.ToStore(TestCables.Make(seed) with { Subject = $"Subject {word}" });

    private Task<long> CountTextAsync(string text) => _store.CountAsync(new CableQuery { Text = text }, CancellationToken.None);

    /// <summary>Queued cables whose reference id or subject contains <paramref name="part"/>.</summary>
    private async Task<long> QueuedAsync(string part)
    {
        await using var command = database.DataSource.CreateCommand(
            "SELECT count(*) FROM cable_search_queue q JOIN cables c USING (reference_id) WHERE strpos(c.reference_id, $1) > 0 OR strpos(c.subject, $1) > 0");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = part });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
