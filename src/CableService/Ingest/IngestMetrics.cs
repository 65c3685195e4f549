using System.Diagnostics.Metrics;

namespace CableService.Ingest;

/// <summary>
/// Ingest instruments (meter <c>CableService.Ingest</c>): items by outcome, committed batches, open streams, vectors
/// computed, bytes held of the request buffer budget.
/// </summary>
public sealed class IngestMetrics
{
    public const string MeterName = "CableService.Ingest";

    private readonly Counter<long> _items;
    private readonly Histogram<int> _batchSize;
    private readonly UpDownCounter<int> _openStreams;
    private readonly Counter<long> _received;
    private readonly Counter<long> _searchIndexed;

    public IngestMetrics(IMeterFactory meterFactory, RequestBufferBudget buffers)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("cables.request_buffer.bytes", () => buffers.Held, "By", "Bytes of ingest requests held and not yet processed (Cables:Grpc:RequestBufferBudget)");
        meter.CreateObservableCounter("cables.request_buffer.waits", () => buffers.Waits, "{reservation}", "Ingest requests that waited for room in the request buffer budget");
        _received = meter.CreateCounter<long>("cables.ingest.received", "{item}", "Items read from ingest requests");
        _items = meter.CreateCounter<long>("cables.ingest.items", "{item}", "Items answered, by outcome");
        _batchSize = meter.CreateHistogram<int>("cables.ingest.batch_size", "{item}", "Cables committed per store call");
        _openStreams = meter.CreateUpDownCounter<int>("cables.ingest.open_streams", "{stream}", "IngestCables calls in progress");
        _searchIndexed = meter.CreateCounter<long>("cables.search.indexed", "{cable}", "Full-text vectors computed by this service's indexers");
    }

    public void Received() => _received.Add(1);

    public void Item(Api.IngestOutcome outcome) => _items.Add(1, new KeyValuePair<string, object?>("outcome", outcome.ToString()));

    public void Batch(int size) => _batchSize.Record(size);

    public void SearchIndexed(int cables) => _searchIndexed.Add(cables);

    public void StreamOpened() => _openStreams.Add(1);

    public void StreamClosed() => _openStreams.Add(-1);
}
