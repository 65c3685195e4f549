using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace Cables.Storage.Tests;

/// <summary>A realistic volume (250,000 rows unless CABLES_EXPLAIN_ROWS says otherwise), loaded once for the plan checks.</summary>
public sealed class ExplainFixture : IAsyncLifetime
{
    public TestDatabase Database { get; } = new();

    public int Rows { get; } = int.TryParse(Environment.GetEnvironmentVariable("CABLES_EXPLAIN_ROWS"), out var rows) ? rows : 250_000;

    public TimeSpan LoadTime { get; private set; }

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        await Database.CreateStore().IngestAsync([.. Enumerable.Range(0, 50).Select(i => TestCables.ToStore(TestCables.Make(i)))], CancellationToken.None);

        // Varied copies of the 50 templates: 250 posts, 10-minute steps over ~4.8 years, tags A0..A96 / B0..B88 / C0..C6,
        // a subject word among 1,000 and a body term among 5,000, one citation among 20,000 ids. The vectors are computed as the service's indexer does.
        const string Generate = """
            WITH template AS (
                SELECT row_number() OVER (ORDER BY reference_id) - 1 AS k, * FROM cables
            ),
            generated AS (
                SELECT g, t.*,
                       'Subject ' || g || ' word' || (g % 1000) AS new_subject,
                       'Body ' || g || ' term' || (g % 5000) || ' ' || t.body AS new_body
                FROM generate_series(1, $1) g JOIN template t ON t.k = g % 50
            )
            INSERT INTO cables (reference_id, created, origin, classification_level, caveats, tags, subject, message, body,
                                raw_text, content_sha256, source_format, ingested_at, revision_count)
            SELECT to_char(g % 10, 'FM00') || 'BULK' || g, timestamptz '2005-01-01 00:00Z' + g * interval '10 minutes',
                   'Post ' || (g % 250), (g % 5) + 1, caveats,
                   ARRAY['A' || (g % 97), 'B' || (g % 89), 'C' || (g % 7)], new_subject, message,
                   new_body, raw_text || g, sha256(convert_to(raw_text || g, 'UTF8')), 1, now(), 0
            FROM generated
            """;
        const string Cite = """
            INSERT INTO cable_references (reference_id, cited_id)
            SELECT reference_id, 'CITED' || (abs(hashtext(reference_id)) % 20000) FROM cables WHERE reference_id LIKE '%BULK%'
            """;

        var clock = Stopwatch.StartNew();
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        await using (var generate = new NpgsqlCommand(Generate, connection) { CommandTimeout = 0 })
        {
            generate.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Rows });
            await generate.ExecuteNonQueryAsync();
        }

        await using (var cite = new NpgsqlCommand(Cite, connection) { CommandTimeout = 0 })
        {
            await cite.ExecuteNonQueryAsync();
        }

        await Database.CreateStore().IndexAllQueuedSearchAsync(CancellationToken.None);

        // What autovacuum would have done by the time queries run: statistics, and the GIN pending lists merged.
        await using (var vacuum = new NpgsqlCommand("VACUUM ANALYZE cables, cable_references, cable_search, cable_search_queue", connection) { CommandTimeout = 0 })
        {
            await vacuum.ExecuteNonQueryAsync();
        }

        LoadTime = clock.Elapsed;
    }

    public Task DisposeAsync() => Database.DisposeAsync();
}

public sealed class ExplainTests(ExplainFixture fixture, ITestOutputHelper output) : IClassFixture<ExplainFixture>
{
    private static readonly DateTime s_month = new(2007, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly Dictionary<string, CableQuery> s_shapes = new()
    {
        ["tag"] = new CableQuery { AllTags = ["A5"] },
        ["any-tag"] = new CableQuery { AnyTags = ["A5", "B6"] },
        ["origin"] = new CableQuery { Origins = ["Post 17"] },
        ["date-range"] = new CableQuery { CreatedFrom = s_month, CreatedTo = s_month.AddMonths(1) },
        ["origin+date"] = new CableQuery { Origins = ["Post 17"], CreatedFrom = s_month, CreatedTo = s_month.AddMonths(6) },
        ["tag+date"] = new CableQuery { AllTags = ["A5"], CreatedFrom = s_month, CreatedTo = s_month.AddMonths(6) },
        ["text"] = new CableQuery { Text = "word17" },
        ["cites"] = new CableQuery { Cites = "CITED123" },
    };

    public static TheoryData<string, bool> Shapes() => OrderedCases.Of(s_shapes.Keys);

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Each_filter_shape_reads_cables_through_an_index(string shape, bool descending)
    {
        var query = s_shapes[shape] with { Descending = descending };
        var sql = CableQuerySql.Filter(query, after: null);

        var chunk = await PlanAsync(sql.Select(ReadModel.CableColumns.Basic, query, CableStore.DefaultChunkSize), sql);
        var count = await PlanAsync(sql.Count(), CableQuerySql.Filter(query, after: null));

        output.WriteLine($"{fixture.Rows:N0} rows loaded in {fixture.LoadTime.TotalSeconds:F1} s");
        output.WriteLine($"{shape} {(descending ? "desc" : "asc")} chunk: {string.Join(" | ", chunk)}");
        output.WriteLine($"{shape} count: {string.Join(" | ", count)}");
        Assert.DoesNotContain(chunk.Concat(count), n => n.StartsWith("Seq Scan on cables", StringComparison.Ordinal));
        Assert.Contains(chunk, n => n.Contains("Index", StringComparison.Ordinal) && n.Contains(" on cables", StringComparison.Ordinal));
        Assert.Contains(count, n => n.Contains("Index", StringComparison.Ordinal) && n.Contains(" on cables", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_keyset_continuation_of_a_chunk_is_an_index_range()
    {
        // Early in the range, so about twice a chunk remains: with only a chunk left (a cursor in March 2007 left ~550 of
        // the post's 1,000 rows), a bitmap scan and a sort of the rest cost as much, and the plan flipped between runs.
        var query = new CableQuery { Origins = ["Post 17"] };
        var sql = CableQuerySql.Filter(query, new CableCursor(new DateTime(2005, 1, 8, 0, 0, 0, DateTimeKind.Utc), "05BULK1"));

        var plan = await PlanAsync(sql.Select(ReadModel.CableColumns.Basic, query, CableStore.DefaultChunkSize), sql);

        output.WriteLine(string.Join(" | ", plan));
        Assert.Contains(plan, n => n.StartsWith("Index Scan using \"IX_cables_origin_created_reference_id\" on cables", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("tag")]
    [InlineData("text")]
    public async Task A_chunk_after_the_keys_reads_its_rows_where_they_lie(string shape)
    {
        var query = s_shapes[shape];
        var sql = CableQuerySql.Filter(query, after: null);
        var ids = new List<string>();
        var locations = new List<string>();
        await using (var keys = fixture.Database.DataSource.CreateCommand(sql.SelectKeys(query, CableStore.DefaultChunkSize)))
        {
            sql.AddParametersTo(keys);
            await using var reader = await keys.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetString(1));
                locations.Add(reader.GetString(2));
            }
        }

        List<NpgsqlParameter> parameters =
        [
            new NpgsqlParameter<string[]> { TypedValue = [.. locations] },
            new NpgsqlParameter<string[]> { TypedValue = [.. ids] },
        ];
        var plan = await PlanAsync(CableQuerySql.SelectByLocations(ReadModel.CableColumns.Basic, query, parameters), command =>
            command.Parameters.AddRange(parameters.ToArray()));

        output.WriteLine($"{shape}: {ids.Count} keys; chunk by location: {string.Join(" | ", plan)}");
        Assert.NotEmpty(ids); // a chunk's worth at the default 250,000 rows
        Assert.Contains("Tid Scan on cables", plan);
        Assert.DoesNotContain(plan, n => n.Contains(" on cables", StringComparison.Ordinal) && n != "Tid Scan on cables");
    }

    /// <summary>EXPLAIN (FORMAT JSON) of the statement; each plan node as "Node Type [using Index] on Relation".</summary>
    private Task<List<string>> PlanAsync(string statement, CableQuerySql sql) => PlanAsync(statement, sql.AddParametersTo);

    private async Task<List<string>> PlanAsync(string statement, Action<NpgsqlCommand> addParameters)
    {
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("EXPLAIN (FORMAT JSON) " + statement, connection);
        addParameters(command);
        var json = (string)(await command.ExecuteScalarAsync())!;
        var nodes = new List<string>();
        using var document = JsonDocument.Parse(json);
        Collect(document.RootElement[0].GetProperty("Plan"), nodes);
        return nodes;
    }

    private static readonly string[] s_tables = ["cables", "cable_references", "cable_search"];

    private static void Collect(JsonElement node, List<string> nodes)
    {
        var text = node.GetProperty("Node Type").GetString()!;
        if (node.TryGetProperty("Index Name", out var index))
        {
            text += $" using \"{index.GetString()}\"";
        }

        if (node.TryGetProperty("Relation Name", out var relation))
        {
            text += " on " + relation.GetString();
        }
        else if (text.StartsWith("Bitmap Index Scan", StringComparison.Ordinal))
        {
            // A bitmap index scan names only its index, which EF names IX_<table>_<columns>.
            text += " on " + s_tables.Where(t => index.GetString()!.StartsWith($"IX_{t}_", StringComparison.Ordinal)).MaxBy(t => t.Length);
        }

        nodes.Add(text);
        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                Collect(child, nodes);
            }
        }
    }
}
