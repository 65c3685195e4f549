using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;

namespace CableService.Tests.Functional;

/// <summary>A host whose database holds the seed and a spread of 655 corpus cables, ingested over one bidirectional stream.</summary>
public class CorpusService : ServiceHost
{
    public IReadOnlyList<TruthCable> Sample { get; } = Corpus.Sample(7);

    public Dictionary<string, Api.IngestCableResponse> Responses { get; private set; } = [];

    public TimeSpan IngestTime { get; private set; }

    /// <summary>The corpus cable stored under its truth reference id, when it was.</summary>
    public Api.Cable? StoredAs(TruthCable truth) =>
        Responses[truth.ReferenceId].ReferenceId == truth.ReferenceId && Stored.TryGetValue(truth.ReferenceId, out var cable) ? cable : null;

    /// <summary>The file each stored reference id was read from.</summary>
    public Dictionary<string, string> Files() => Responses.Values
        .Where(r => r.Outcome != Api.IngestOutcome.Rejected)
        .GroupBy(r => r.ReferenceId)
        .ToDictionary(g => g.Key, g => g.Last().ClientItemId == "seed" ? Corpus.SeedPath : Corpus.Truth.First(t => t.ReferenceId == g.Last().ClientItemId).Path);

    /// <summary>Every stored cable (BASIC view) by reference id, as the service returns it.</summary>
    public Dictionary<string, Api.Cable> Stored { get; private set; } = [];

    protected override async Task InitializeDataAsync()
    {
        // What a page or CSV row states besides the text goes along as source metadata: the reference id (the file's
        // name) and the created time, which partial extracts (no header, so no date-time group) have nowhere else.
        // The parser prefers what the telegram says; origin, classification and tags come from the text alone.
        var requests = Sample
            .Select(c => Ingestion.Telegram(c.Path).Also(r => r.Metadata = new Api.SourceMetadata
            {
                ReferenceId = c.ReferenceId,
                Created = Timestamp.FromDateTime(c.Created),
            }))
            .Prepend(Ingestion.Telegram(Corpus.SeedPath, "seed"))
            .ToList();
        var clock = Stopwatch.StartNew();
        Responses = await Client.IngestAllAsync(requests);
        IngestTime = clock.Elapsed;
        await WaitForSearchIndexAsync();
        Stored = (await Client.StreamAllAsync(new Api.StreamCablesRequest()))
            .ToDictionary(r => r.Cable.ReferenceId, r => r.Cable, StringComparer.Ordinal);
    }
}
