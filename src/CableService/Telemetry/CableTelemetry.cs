using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CableService.Telemetry;

/// <summary>
/// The service's own spans and its query and parse instruments, all named "CableService" (the ingest outcome, batch
/// and stream instruments live in <c>IngestMetrics</c>). Static like Npgsql's and gRPC's own sources: they cost
/// nothing until an OpenTelemetry provider, or any other listener, subscribes to the name.
/// </summary>
public static class CableTelemetry
{
    public const string Name = "CableService";

    /// <summary>Span names, so the code that starts them and the tests that look for them agree.</summary>
    public static class Spans
    {
        public const string ParseBatch = "ParseBatch";
        public const string StoreBatch = "StoreBatch";
        public const string StreamChunk = "StreamChunk";
    }

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter s_meter = new(Name);

    public static readonly Counter<long> ParseWarnings =
        s_meter.CreateCounter<long>("cables.parse.warnings", "{warning}", "Warnings the parser attached to ingested cables");

    public static readonly Counter<long> Streamed =
        s_meter.CreateCounter<long>("cables.streamed", "{cable}", "Cables sent on StreamCables responses");

    public static readonly UpDownCounter<long> ActiveStreams =
        s_meter.CreateUpDownCounter<long>("cables.streams.active", "{stream}", "StreamCables calls in progress");

    public static readonly Counter<long> WatchersBehind =
        s_meter.CreateCounter<long>("cables.watch.behind", "{watcher}", "Watchers the change feed sent to read the log itself until they catch up");
}
