using CableService.Indexing;
using System.Diagnostics;

namespace CableService.Tests.Functional;

/// <summary>
/// A service that commits batches of two items, several at once (every stream spans many concurrent commits), and
/// merges the GIN pending lists 0.2 s after ingest goes quiet.
/// </summary>
public sealed class SmallBatchService : ServiceHost
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Cables:Ingest:MaxBatchSize"] = "2",
        ["Cables:Ingest:CommitConcurrency"] = "3",
        ["Cables:Ingest:IndexMergeDelay"] = "00:00:00.2",
    };
}

public sealed class ConcurrentCommitTests(SmallBatchService host) : IClassFixture<SmallBatchService>
{
    [Fact]
    public async Task Versions_of_one_cable_in_one_stream_are_applied_in_input_order_while_other_batches_commit_at_once()
    {
        // Whole telegrams only: a partial extract has no header to take its id from and is rejected without metadata.
        var others = Corpus.Sample(20).Where(t => t.ReferenceId != "08BRUSSELS1390").Select(t => Ingestion.Telegram(t.Path))
            .Where(r => !r.RawText.StartsWith("This record is a partial extract", StringComparison.Ordinal)).Take(40).ToList();
        var versions = Enumerable.Range(0, 6)
            .Select(v => Ingestion.Telegram(Corpus.SeedPath, $"seed-v{v}").Also(r => r.RawText += $"\n\nADDENDUM {v}.\n"))
            .ToList();
        // Batches of two: (other, version) pairs put consecutive versions in consecutive batches, which would commit at
        // the same time if nothing held the later one back.
        var requests = others.Take(3).ToList();
        for (var v = 0; v < versions.Count; v++)
        {
            requests.Add(versions[v]);
            requests.Add(others[3 + v]);
        }

        requests.AddRange(others.Skip(3 + versions.Count));

        var responses = await host.Client.IngestAllAsync(requests);

        Assert.Equal(requests.Count, responses.Count);
        Assert.Equal(Api.IngestOutcome.Created, responses["seed-v0"].Outcome);
        for (var v = 1; v < versions.Count; v++)
        {
            Assert.Equal(Api.IngestOutcome.Revised, responses[$"seed-v{v}"].Outcome);
        }

        Assert.All(others, o => Assert.Equal(Api.IngestOutcome.Created, responses[o.ClientItemId].Outcome));
        var stored = await host.Client.GetCableAsync(new Api.GetCableRequest { ReferenceId = "08BRUSSELS1390", View = Api.CableView.Full });
        Assert.Equal(versions[^1].RawText, stored.RawText);
        Assert.Equal(versions.Count - 1, stored.RevisionCount);
    }

    [Fact]
    public async Task Pending_index_entries_are_merged_once_ingest_goes_quiet()
    {
        var merger = host.Host.Services.GetRequiredService<PendingIndexMerger>();
        var before = merger.Merges;
        var cable = Ingestion.Telegram(Corpus.SeedPath, "merge").Also(r => r.RawText += "\n\nADDENDUM for the merge test.\n");

        await host.Client.IngestAllAsync([cable]);

        var waited = Stopwatch.StartNew();
        while (merger.Merges == before && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        Assert.True(merger.Merges > before, "no merge within 10 s of the last commit");
    }
}
