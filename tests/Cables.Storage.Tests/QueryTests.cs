namespace Cables.Storage.Tests;

public sealed class QueryTests(QueryFixture fixture) : IClassFixture<QueryFixture>
{
    private static readonly DateTime s_from = new(2006, 3, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime s_to = new(2008, 9, 5, 18, 18, 0, DateTimeKind.Utc); // the shared created of every 7th cable: exclusive

    private static readonly Dictionary<string, CableQuery> s_queries = new()
    {
        ["everything"] = new CableQuery(),
        ["all-tags"] = new CableQuery { AllTags = ["PREL"] },
        ["all-tags-two"] = new CableQuery { AllTags = ["PREL", "EU"] },
        ["any-tags"] = new CableQuery { AnyTags = ["KNNP", "SNAR"] },
        ["origin"] = new CableQuery { Origins = ["Embassy Paris"] },
        ["origins"] = new CableQuery { Origins = ["Embassy Paris", "Mission USNATO"] },
        ["from"] = new CableQuery { CreatedFrom = s_to },
        ["to"] = new CableQuery { CreatedTo = s_from },
        ["date-range"] = new CableQuery { CreatedFrom = s_from, CreatedTo = s_to },
        ["max-classification"] = new CableQuery { MaxClassification = ClassificationLevel.Confidential },
        ["text"] = new CableQuery { Text = "kumquat" },
        ["cites"] = new CableQuery { Cites = QueryFixture.MostCited },
        ["origin+date"] = new CableQuery { Origins = ["Embassy Brussels"], CreatedFrom = s_from, CreatedTo = s_to },
        ["tag+date"] = new CableQuery { AllTags = ["ECON"], CreatedFrom = s_from },
        ["text+tag"] = new CableQuery { Text = "narwhal", AnyTags = ["PREL", "PGOV", "ECON"] },
        ["everything-at-once"] = new CableQuery
        {
            AnyTags = ["PREL", "PGOV", "ECON", "MARR", "KNNP"], Origins = ["Embassy Brussels", "Embassy Paris", "Secretary of State"],
            CreatedFrom = new DateTime(2005, 6, 1, 0, 0, 0, DateTimeKind.Utc), CreatedTo = new DateTime(2009, 12, 1, 0, 0, 0, DateTimeKind.Utc),
            MaxClassification = ClassificationLevel.Secret, Text = "zeppelin",
        },
        ["cites+date"] = new CableQuery { Cites = QueryFixture.MostCited, CreatedTo = s_to },
        ["nothing"] = new CableQuery { AllTags = ["PREL"], Origins = ["No such post"] },
    };

    public static TheoryData<string, bool> Cases() => OrderedCases.Of(s_queries.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Filter_returns_exactly_the_expected_cables_in_order(string name, bool descending)
    {
        var query = s_queries[name] with { Descending = descending };
        var expected = QueryFixture.Expected(query).Select(c => c.ReferenceId!).ToList();
        // Chunks of 7 (the first of 2) so every filter crosses many keyset boundaries, some inside runs of equal created
        // times; GIN-served filters read their ordered keys 11 at a time, so key runs end inside row chunks.
        var store = fixture.Database.CreateStore(chunkSize: 7, firstChunkSize: 2, keyChunkSize: 11);

        var actual = await store.StreamAsync(query, CancellationToken.None).Select(c => c.ReferenceId).ToListAsync();

        Assert.Equal(expected, actual);
        Assert.Equal(expected.Count, await store.CountAsync(query, CancellationToken.None));
        if (name != "nothing")
        {
            Assert.NotEmpty(expected);
        }
    }

    [Fact]
    public void The_filters_are_selective_on_the_test_data()
    {
        // Guards the theory above against data where a filter would pass everything or nothing.
        foreach (var (name, query) in s_queries.Where(q => q.Key is not ("everything" or "nothing")))
        {
            var count = QueryFixture.Expected(query).Count();
            Assert.True(count > 0 && count < QueryFixture.Count, $"{name}: {count} of {QueryFixture.Count}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Pages_continued_from_their_cursor_have_no_gap_or_duplicate(bool descending)
    {
        var query = new CableQuery { AnyTags = ["PREL", "ECON", "EU"], Descending = descending, Limit = 5 };
        var store = fixture.Database.CreateStore(chunkSize: 3, firstChunkSize: 1, keyChunkSize: 4);
        var delivered = new List<string>();

        for (var page = await store.StreamAsync(query, CancellationToken.None).ToListAsync(); page.Count > 0;)
        {
            delivered.AddRange(page.Select(c => c.ReferenceId));
            var last = page[^1];
            var cursor = new CableCursor(last.Created?.ToDateTime() ?? DateTime.MinValue, last.ReferenceId);
            page = await store.StreamAsync(query with { After = cursor }, CancellationToken.None).ToListAsync();
        }

        Assert.Equal(QueryFixture.Expected(query with { Limit = null }).Select(c => c.ReferenceId), delivered);
    }

    [Fact]
    public async Task A_cursor_inside_a_run_of_equal_created_times_continues_with_the_next_id()
    {
        var tied = QueryFixture.Expected(new CableQuery()).Where(c => c.Created == s_to).ToList();
        Assert.True(tied.Count > 3);
        var store = fixture.Database.CreateStore();

        var next = await store.StreamAsync(new CableQuery { After = new CableCursor(s_to, tied[1].ReferenceId!), Limit = 2 }, CancellationToken.None).ToListAsync();

        Assert.Equal([tied[2].ReferenceId, tied[3].ReferenceId], next.Select(c => c.ReferenceId));
    }

    [Fact]
    public async Task Undated_cables_sort_first_and_a_cursor_among_them_continues_in_order()
    {
        var all = QueryFixture.Expected(new CableQuery()).ToList();
        var undated = all.TakeWhile(c => c.Created is null).ToList();
        Assert.True(undated.Count > 2);
        var store = fixture.Database.CreateStore(chunkSize: 2);

        var next = await store.StreamAsync(new CableQuery { After = new CableCursor(DateTime.MinValue, undated[0].ReferenceId!), Limit = undated.Count }, CancellationToken.None).ToListAsync();

        Assert.Equal(all.Skip(1).Take(undated.Count).Select(c => c.ReferenceId), next.Select(c => c.ReferenceId));
        Assert.All(next.Take(undated.Count - 1), c => Assert.Null(c.Created));
    }

    [Fact]
    public async Task Limit_caps_the_stream_across_chunks()
    {
        var store = fixture.Database.CreateStore(chunkSize: 7);

        var actual = await store.StreamAsync(new CableQuery { Limit = 10, Descending = true }, CancellationToken.None).ToListAsync();

        Assert.Equal(QueryFixture.Expected(new CableQuery { Limit = 10, Descending = true }).Select(c => c.ReferenceId), actual.Select(c => c.ReferenceId));
    }

    [Fact]
    public async Task Basic_view_leaves_out_body_paragraphs_and_raw_text_and_full_view_has_them()
    {
        var store = fixture.Database.CreateStore(chunkSize: 50);
        var query = new CableQuery { Origins = ["Consulate Lagos"] };
        var byId = QueryFixture.Cables.ToDictionary(c => c.ReferenceId!);

        var basic = await store.StreamAsync(query, CancellationToken.None).ToListAsync();
        var full = await store.StreamAsync(query with { Full = true }, CancellationToken.None).ToListAsync();

        Assert.NotEmpty(basic);
        Assert.Equal(basic.Select(c => c.ReferenceId), full.Select(c => c.ReferenceId));
        foreach (var (b, f) in basic.Zip(full))
        {
            var inserted = byId[b.ReferenceId];
            TestCables.AssertSame(inserted, b);
            Assert.Empty(b.RawText);
            Assert.Empty(b.Body);
            TestCables.AssertSame(inserted, f);
            Assert.Equal(TestCables.ToStore(inserted).RawText, f.RawText);
            Assert.Equal(b.ContentSha256, f.ContentSha256);
        }
    }

    [Fact]
    public async Task Cancellation_stops_a_stream()
    {
        var store = fixture.Database.CreateStore(chunkSize: 7);
        using var cts = new CancellationTokenSource();
        var read = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in store.StreamAsync(new CableQuery(), cts.Token))
            {
                if (++read == 10)
                {
                    await cts.CancelAsync();
                }
            }
        });

        Assert.Equal(10, read);
    }

    [Fact]
    public async Task A_paused_stream_holds_no_connection()
    {
        // A pool of one connection: if the paused stream kept it, the second query would time out.
        var connectionString = new NpgsqlConnectionStringBuilder(fixture.Database.ConnectionString) { MaxPoolSize = 1, Timeout = 3 }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var store = new CableStore(dataSource) { ChunkSize = 7 };

        await using var paused = store.StreamAsync(new CableQuery(), CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await paused.MoveNextAsync());
        var other = await store.StreamAsync(new CableQuery { Descending = true }, CancellationToken.None).ToListAsync();
        var rest = new List<string> { paused.Current.ReferenceId };
        while (await paused.MoveNextAsync())
        {
            rest.Add(paused.Current.ReferenceId);
        }

        Assert.Equal(QueryFixture.Count, other.Count);
        Assert.Equal(QueryFixture.Expected(new CableQuery()).Select(c => c.ReferenceId), rest);
    }

    [Theory]
    [InlineData("origin")]
    [InlineData("text+tag")]
    public async Task A_stream_left_early_gives_its_connection_back(string name)
    {
        // The next chunk is being fetched when the consumer stops: it must be cancelled or finished, not left holding the only connection.
        var connectionString = new NpgsqlConnectionStringBuilder(fixture.Database.ConnectionString) { MaxPoolSize = 1, Timeout = 3 }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var store = new CableStore(dataSource) { ChunkSize = 2, FirstChunkSize = 1, KeyChunkSize = 3 };
        var query = s_queries[name];

        await foreach (var _ in store.StreamAsync(query, CancellationToken.None))
        {
            break;
        }

        Assert.Equal(QueryFixture.Expected(query).Count(), await store.CountAsync(query, CancellationToken.None));
    }
}
