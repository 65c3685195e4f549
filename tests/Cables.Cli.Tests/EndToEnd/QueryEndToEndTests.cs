using System.Globalization;

namespace Cables.Cli.Tests.EndToEnd;

/// <summary>query, count and get against the real service, after ingesting the 40 WikiLeaks pages; expectations from truth.jsonl.</summary>
public sealed class QueryEndToEndTests(QueryEndToEndTests.PagesIngested pages) : IClassFixture<QueryEndToEndTests.PagesIngested>
{
    private ServiceHost Service => pages.Service;

    /// <summary>The truth of the pages, in the order the service sorts (created, then id).</summary>
    private List<Truth> Truths => pages.Truths;

    [Fact]
    public async Task Ids_lists_every_page_oldest_first()
    {
        var (exitCode, output, _) = await Service.RunAsync("query", "--format", "ids");

        Assert.Equal(0, exitCode);
        var ids = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Truths.Select(t => t.ReferenceId).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        var created = ids.Select(id => Truths.Single(t => t.ReferenceId == id).Created).ToList();
        Assert.Equal(created.Order(StringComparer.Ordinal), created); // YYYY-MM-DD HH:MM sorts as text
    }

    [Fact]
    public async Task Jsonl_carries_the_fields_the_truth_states()
    {
        var (exitCode, output, _) = await Service.RunAsync("query", "--format", "jsonl");

        Assert.Equal(0, exitCode);
        var cables = CommandRunner.JsonLines(output);
        Assert.Equal(Truths.Count, cables.Count);
        foreach (var cable in cables)
        {
            var truth = Truths.Single(t => t.ReferenceId == cable.Text("referenceId"));
            Assert.StartsWith(truth.CreatedPrefix, cable.Text("created"));
            Assert.Equal(truth.Origin, cable.Text("origin"));
            Assert.Equal(truth.Classification, cable.Text("classification"));
            Assert.False(cable.TryGetProperty("body", out _)); // BASIC view unless --full
        }
    }

    [Fact]
    public async Task Filters_and_table_rows_match_the_truth()
    {
        var origin = Truths.GroupBy(t => t.Origin).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First();
        var (exitCode, output, _) = await Service.RunAsync("query", "--origin", origin.Key);

        Assert.Equal(0, exitCode);
        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("CREATED (UTC)", rows[0]);
        Assert.Equal(origin.Count(), rows.Length - 1);
        foreach (var row in rows.Skip(1))
        {
            var truth = origin.Single(t => row[18..].StartsWith(t.ReferenceId + " ", StringComparison.Ordinal));
            Assert.StartsWith(truth.Created[..13], row); // the hour is right on every page; minutes are not (see the corpus README)
            Assert.Contains(truth.Classification.Length <= 22 ? truth.Classification : truth.Classification[..21] + "…", row); // the column is 22 wide
        }

        var count = await Service.RunAsync("count", "--origin", origin.Key);
        Assert.Equal(origin.Count().ToString(CultureInfo.InvariantCulture), count.Output.Trim());

        var secretOrBelow = await Service.RunAsync("count", "--max-classification", "confidential");
        Assert.Equal(Truths.Count(t => !t.Classification.StartsWith("SECRET", StringComparison.Ordinal)).ToString(CultureInfo.InvariantCulture), secretOrBelow.Output.Trim());
    }

    [Fact]
    public async Task Desc_and_limit_give_the_newest_and_get_prints_one_cable()
    {
        var (_, output, _) = await Service.RunAsync("query", "--format", "ids", "--desc", "--limit", "3");
        var newest = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, newest.Length);
        var all = (await Service.RunAsync("query", "--format", "ids")).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(all.Reverse().Take(3), newest);

        var truth = Truths.First(t => t.Subject is not null);
        var get = await Service.RunAsync("get", truth.ReferenceId, "--full");
        Assert.Equal(0, get.ExitCode);
        var cable = System.Text.Json.JsonDocument.Parse(get.Output).RootElement;
        Assert.Equal(truth.ReferenceId, cable.Text("referenceId"));
        Assert.True(cable.GetProperty("body").GetString()!.Length > 100);

        var missing = await Service.RunAsync("get", "99NOWHERE1");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("NotFound", missing.Error);
    }

    /// <summary>The service with the 40 pages ingested once for the whole class.</summary>
    public sealed class PagesIngested : IAsyncLifetime
    {
        public ServiceHost Service { get; } = new();

        public List<Truth> Truths { get; } = [];

        public async Task InitializeAsync()
        {
            await Service.InitializeAsync();
            var folder = SharedFolder.Path("corpus", "formats", "html");
            var rejects = Path.Combine(Path.GetTempPath(), $"cablectl-query-{Guid.NewGuid():N}.jsonl");
            var (exitCode, output, error) = await Service.RunAsync("ingest", folder, "--rejects", rejects);
            File.Delete(rejects);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"ingest failed ({exitCode}): {output} {error}");
            }

            Truths.AddRange(Directory.GetFiles(folder, "*.html").Select(p => Truth.All[Path.GetFileNameWithoutExtension(p)]));
        }

        public Task DisposeAsync() => Service.DisposeAsync();
    }
}
