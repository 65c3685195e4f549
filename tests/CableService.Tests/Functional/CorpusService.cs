using System.Diagnostics;
using Api = Cables.Api.V1;

namespace CableService.Tests.Functional;

/// <summary>A host whose database holds the seed and a spread of 655 corpus cables, ingested over one bidirectional stream.</summary>
public sealed class CorpusService : ServiceHost
{
    public IReadOnlyList<TruthCable> Sample { get; } = Corpus.Sample(7);

    public Dictionary<string, Api.IngestCableResponse> Responses { get; private set; } = [];

    public TimeSpan IngestTime { get; private set; }

    /// <summary>Every stored cable (BASIC view) by reference id, as the service returns it.</summary>
    public Dictionary<string, Api.Cable> Stored { get; private set; } = [];

    protected override async Task InitializeDataAsync()
    {
        var requests = Sample.Select(c => Ingestion.Telegram(c.Path)).Prepend(Ingestion.Telegram(Corpus.SeedPath, "seed")).ToList();
        var clock = Stopwatch.StartNew();
        Responses = await Client.IngestAllAsync(requests);
        IngestTime = clock.Elapsed;
        Stored = (await Client.StreamAllAsync(new Api.StreamCablesRequest()))
            .ToDictionary(r => r.Cable.ReferenceId, r => r.Cable, StringComparer.Ordinal);
    }
}
