using System.Diagnostics;
using Cables.Api.V1;
using CableService.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CableService.Tests.Telemetry;

[Collection(OperationsTestGroup.Name)]
public sealed class TelemetryTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const int CableCount = 40;

    [Fact]
    public async Task Ingest_and_query_produce_the_expected_spans_and_metrics()
    {
        var spans = new Exported<Activity>();
        var metrics = new Exported<MetricSnapshot>();
        await using var host = await TestServiceHost.StartAsync(database.ConnectionString, new TestServiceHostOptions
        {
            ConfigureServices = services => services
                .ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans))
                .ConfigureOpenTelemetryMeterProvider(metering => metering.AddInMemoryExporter(metrics)),
        });
        var client = new Cables.Api.V1.CableArchive.CableArchiveClient(host.Channel);
        var requests = TestCables.Requests(CableCount);

        // Each call carries a traceparent of its own, so its spans can be told apart from everything else exported.
        var ingestTrace = ActivityTraceId.CreateRandom();
        using (var ingest = client.IngestCables(TraceParent(ingestTrace)))
        {
            foreach (var request in requests)
            {
                await ingest.RequestStream.WriteAsync(request);
            }

            await ingest.RequestStream.CompleteAsync();
            var outcomes = await ingest.ResponseStream.ReadAllAsync().Select(r => r.Outcome).ToListAsync();
            Assert.Equal(Enumerable.Repeat(IngestOutcome.Created, CableCount), outcomes);
        }

        var queryTrace = ActivityTraceId.CreateRandom();
        using (var query = client.StreamCables(new StreamCablesRequest { View = CableView.Basic }, TraceParent(queryTrace)))
        {
            Assert.Equal(CableCount, await query.ResponseStream.ReadAllAsync().CountAsync());
        }

        // Server spans end just after the client has seen the end of its call.
        var ingestSpans = await SpansOfAsync(spans, ingestTrace, "/cables.v1.CableArchive/IngestCables");
        var querySpans = await SpansOfAsync(spans, queryTrace, "/cables.v1.CableArchive/StreamCables");

        var ingestServer = Assert.Single(ingestSpans, s => s.Kind == ActivityKind.Server);
        Assert.Contains(ingestSpans, s => s.OperationName == CableTelemetry.Spans.ParseBatch && s.ParentSpanId == ingestServer.SpanId);
        var storeBatches = ingestSpans.Where(s => s.OperationName == CableTelemetry.Spans.StoreBatch).ToList();
        Assert.NotEmpty(storeBatches);
        Assert.Equal(CableCount, storeBatches.Sum(s => (int)s.GetTagItem("cables.count")!));
        // The binary COPY of each batch is an Npgsql span under its StoreBatch span.
        Assert.Contains(ingestSpans, s => s.Source.Name == "Npgsql" && IsCopy(s) && storeBatches.Any(b => b.SpanId == s.ParentSpanId));

        var queryServer = Assert.Single(querySpans, s => s.Kind == ActivityKind.Server);
        Assert.Contains(querySpans, s => s.Source.Name == "Npgsql" && s.Kind == ActivityKind.Client);
        var chunk = Assert.Single(querySpans, s => s.OperationName == CableTelemetry.Spans.StreamChunk);
        Assert.Equal(CableCount, chunk.GetTagItem("cables.count"));
        Assert.Equal(queryServer.SpanId, chunk.ParentSpanId);

        host.Services.GetRequiredService<MeterProvider>().ForceFlush();
        var exported = metrics.Snapshot();
        Assert.Equal(CableCount, Sum(exported, IngestMetrics.MeterName, "cables.ingest.items", ("outcome", "Created")));
        Assert.Equal(CableCount, Sum(exported, CableTelemetry.Name, "cables.streamed"));
        Assert.Equal(0, Sum(exported, CableTelemetry.Name, "cables.streams.active"));
        Assert.NotNull(Last(exported, CableTelemetry.Name, "cables.parse.warnings"));
        var batchSizes = Last(exported, IngestMetrics.MeterName, "cables.ingest.batch_size")!.MetricPoints.Single();
        Assert.Equal(storeBatches.Count, batchSizes.GetHistogramCount());
        Assert.Equal(CableCount, batchSizes.GetHistogramSum());
        // Npgsql's own meter: the pool's connections and the commands run.
        Assert.Contains(exported, m => m.MeterName == "Npgsql" && m.Name == "db.client.connection.count");
    }

    private static Metadata TraceParent(ActivityTraceId traceId) =>
        new() { { "traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01" } };

    private static async Task<List<Activity>> SpansOfAsync(Exported<Activity> spans, ActivityTraceId traceId, string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var ofTrace = spans.Snapshot().Where(s => s.TraceId == traceId).ToList();
            if (ofTrace.Any(s => s.Kind == ActivityKind.Server && s.DisplayName.EndsWith(path, StringComparison.Ordinal)) || DateTime.UtcNow > deadline)
            {
                return ofTrace;
            }

            await Task.Delay(20);
        }
    }

    private static bool IsCopy(Activity span) =>
        span.Tags.Any(t => t.Key is "db.query.text" or "db.statement" && t.Value!.StartsWith("COPY", StringComparison.OrdinalIgnoreCase));

    private static MetricSnapshot? Last(IEnumerable<MetricSnapshot> exported, string meter, string name) =>
        exported.LastOrDefault(m => m.MeterName == meter && m.Name == name);

    private static long Sum(IEnumerable<MetricSnapshot> exported, string meter, string name, (string Key, string Value)? tag = null)
    {
        var metric = Last(exported, meter, name) ?? throw new InvalidOperationException($"{meter} exported no {name}");
        long sum = 0;
        foreach (var point in metric.MetricPoints)
        {
            if (tag is { } t && !HasTag(point, t.Key, t.Value))
            {
                continue;
            }

            sum += point.GetSumLong();
        }

        return sum;
    }

    private static bool HasTag(MetricPoint point, string key, string value)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key && Equals(tag.Value, value))
            {
                return true;
            }
        }

        return false;
    }
}
