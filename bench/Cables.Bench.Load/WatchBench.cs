using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Cables.Api.V1;
using Cables.Parsing.Formats;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Cables.Bench.Load;

/// <summary>
/// The watch step: ingests the first --limit rows of --csv (all when 0) through one IngestCables stream (2,048 items in flight, as cablectl keeps) into a fresh
/// service, with --watchers WatchCables calls attached (0 for the baseline): --filters varied (what services would
/// watch, one of them everything) or idle (varied shapes that match nothing: the cost of being attached). Records the
/// job's time and, per delivery, the time from the item's acknowledgement to its arrival at the watcher.
/// </summary>
/// <remarks>
/// The job runs in this process, not through cablectl, because the latency needs each item's acknowledgement time on
/// the same clock as the deliveries. A delivery can arrive before its acknowledgement is read (the commit comes
/// first): it counts as 0.
/// </remarks>
public static class WatchBench
{
    private const int Window = 2048;

    public sealed record Result(
        int Watchers, string Kind, int Cables, double IngestSeconds, CpuTimes JobCpu, long Deliveries, long ExpectedDeliveries, long Duplicates, long Unknown,
        double? LatencyP50Ms, double? LatencyP99Ms, double? LatencyMaxMs, double ClientGcPauseMs, IReadOnlyList<string> Filters);

    public static async Task RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var manifest = options.LoadManifest();
        var watcherCount = options.GetInt("watchers", 100);
        var requests = ReadRequests(options.Get("csv"), options.GetInt("limit", 0));
        using var channel = options.OpenChannel();
        var client = options.Client(channel);

        var cables = new CableNumbers(requests.Count);
        var kind = watcherCount == 0 ? "none" : options.Get("filters", "varied");
        var filters = (kind == "idle" ? IdleFilters(watcherCount) : VariedFilters(manifest, watcherCount)).ToArray();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watchers = filters.Select(filter => new Watcher(filter, cables)).ToArray();

        // Each watcher stands for another service, with its own connection: on one shared connection the watchers would
        // share one HTTP/2 flow-control window and one socket, a limit of the measuring client, not of the service.
        var channels = watchers.Select(_ => options.OpenChannel()).ToArray();
        var watching = watchers.Select((watcher, i) => watcher.RunAsync(options.Invoker(channels[i]), stop.Token)).ToArray();
        foreach (var watcher in watchers)
        {
            await watcher.Started.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }

        var pauseBefore = GC.GetTotalPauseDuration();
        var serverPid = options.GetInt("server-pid", 0);
        var started = Stopwatch.GetTimestamp();
        var cpuBefore = CpuTimes.Read(serverPid);
        var createdIds = await IngestAsync(client, requests, cables, cancellationToken);
        var ingestSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var jobCpu = CpuTimes.Read(serverPid) - cpuBefore;
        Console.Error.WriteLine(
            $"watch: ingested {requests.Count:N0} items ({createdIds.Count:N0} created) in {ingestSeconds:F2} s with {watcherCount} watchers; " +
            $"CPU meanwhile: service {jobCpu.Service:F1} s, PostgreSQL {jobCpu.Postgres:F1} s, this process {jobCpu.Client:F1} s");
        var created = await StoredAsync(client, createdIds, cancellationToken);

        // Deliveries still on their way: wait until every watcher has been quiet for a while.
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(120) && watchers.Any(w => w.QuietFor < TimeSpan.FromSeconds(2)))
        {
            await Task.Delay(200, cancellationToken);
        }

        await stop.CancelAsync();
        await Task.WhenAll(watching);
        var clientPauseMs = (GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds;
        foreach (var watcherChannel in channels)
        {
            watcherChannel.Dispose();
        }

        var latencies = new List<double>();
        long deliveries = 0, duplicates = 0, expected = 0, unknown = 0;
        foreach (var watcher in watchers)
        {
            expected += created.Values.Count(watcher.Filter.Matches);
            foreach (var (cable, arrived) in watcher.Arrivals)
            {
                deliveries++;
                if (cables.AckedAt(cable) is { } acked)
                {
                    latencies.Add(Math.Max(0, Stopwatch.GetElapsedTime(acked, arrived).TotalMilliseconds));
                }
            }

            duplicates += watcher.Duplicates;
            unknown += watcher.Unknown;
        }

        latencies.Sort();
        var result = new Result(
            watcherCount, kind, requests.Count, ingestSeconds, jobCpu, deliveries, expected, duplicates, unknown,
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies.Count == 0 ? null : latencies[^1], clientPauseMs,
            [.. filters.Select(f => f.Name).Distinct()]);
        Console.Error.WriteLine(
            $"watch: {deliveries:N0} deliveries (expected {expected:N0}, {duplicates} duplicates, {unknown} of cables not ingested), " +
            $"ack to delivery p50 {result.LatencyP50Ms:F1} ms, p99 {result.LatencyP99Ms:F1} ms, max {result.LatencyMaxMs:F1} ms; " +
            $"this process paused {clientPauseMs:F0} ms for its GC");
        await options.WriteResultAsync(options.Get("name", $"watch-{watcherCount}"), result, cancellationToken);
    }

    private static double? Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? null : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static List<IngestCableRequest> ReadRequests(string csv, int limit)
    {
        using var reader = new StreamReader(csv);
        var rows = CablesCsv.Read(reader).Where(row => row.Cable is not null);
        return [.. (limit > 0 ? rows.Take(limit) : rows).Select(row => new IngestCableRequest
        {
            ClientItemId = row.RowNumber.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // As cablectl sends a row: the telegram text, and what the row states as metadata.
            RawText = row.Cable!.Text,
            Format = SourceFormat.Telegram,
            Metadata = Cables.Api.V1.Mapping.CableMessages.ToApi(row.Cable.Metadata) ?? new SourceMetadata(),
        })];
    }

    /// <summary>Sends every request with <see cref="Window"/> in flight; returns the reference ids created, and records each acknowledgement's time.</summary>
    private static async Task<HashSet<string>> IngestAsync(
        CableArchiveClient client, List<IngestCableRequest> requests, CableNumbers cables, CancellationToken cancellationToken)
    {
        using var call = client.IngestCables(cancellationToken: cancellationToken);
        using var window = new SemaphoreSlim(Window);
        var writing = Task.Run(async () =>
        {
            foreach (var request in requests)
            {
                await window.WaitAsync(cancellationToken);
                await call.RequestStream.WriteAsync(request, cancellationToken);
            }

            await call.RequestStream.CompleteAsync();
        }, cancellationToken);

        var createdIds = new HashSet<string>(StringComparer.Ordinal);
        var rejected = 0;
        await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            var now = Stopwatch.GetTimestamp();
            window.Release();
            if (response.Outcome is IngestOutcome.Rejected && rejected++ == 0)
            {
                Console.Error.WriteLine($"watch: item {response.ClientItemId} rejected: {response.Reason} {response.Details}");
            }

            if (response.Outcome is IngestOutcome.Created or IngestOutcome.Revised)
            {
                cables.Acked(response.ReferenceId, now);
                createdIds.Add(response.ReferenceId);
            }
        }

        await writing;
        return createdIds;
    }

    /// <summary>What each watcher should have received: the created cables as stored (the database is fresh: one stream).</summary>
    private static async Task<Dictionary<string, WatchedCable>> StoredAsync(
        CableArchiveClient client, HashSet<string> createdIds, CancellationToken cancellationToken)
    {
        var created = new Dictionary<string, WatchedCable>(StringComparer.Ordinal);
        using var stored = client.StreamCables(new StreamCablesRequest(), cancellationToken: cancellationToken);
        await foreach (var response in stored.ResponseStream.ReadAllAsync(cancellationToken))
        {
            if (createdIds.Contains(response.Cable.ReferenceId))
            {
                created[response.Cable.ReferenceId] = new WatchedCable(response.Cable);
            }
        }

        return created;
    }

    /// <summary>
    /// <paramref name="count"/> filters of the kinds services would watch: one watcher of everything (an indexer), then
    /// in turn a tag, an origin, any of two tags under a ceiling, a date range, the combined query and one that matches
    /// nothing.
    /// </summary>
    private static IEnumerable<WatchedFilter> VariedFilters(Cables.Bench.Generate.Manifest manifest, int count)
    {
        var selective = SelectiveFilters(manifest).ToArray();
        return count == 0 ? [] : [new WatchedFilter("all", new CableFilter()), .. Enumerable.Range(0, count - 1).Select(i => selective[i % selective.Length])];
    }

    /// <summary>Filters of the same shapes that no generated cable matches: watchers attached and matching, never sent anything.</summary>
    private static IEnumerable<WatchedFilter> IdleFilters(int count) => Enumerable.Range(0, count).Select(i => (i % 3) switch
    {
        0 => new WatchedFilter("a tag no cable has", new CableFilter { AllTags = { $"ZZ{i}" } }),
        1 => new WatchedFilter("an origin no cable has", new CableFilter { Origins = { $"Embassy Nowhere {i}" } }),
        _ => new WatchedFilter("any of two tags no cable has, at most SECRET", new CableFilter { AnyTags = { $"ZY{i}", $"ZX{i}" }, MaxClassification = ClassificationLevel.Secret }),
    });

    private static IEnumerable<WatchedFilter> SelectiveFilters(Cables.Bench.Generate.Manifest manifest)
    {
        var q = manifest.Queries;
        var tags = manifest.Tags.OrderByDescending(t => t.Value).Select(t => t.Key).Take(8).ToArray();
        var origins = manifest.Origins.OrderByDescending(o => o.Value).Select(o => o.Key).Take(8).ToArray();
        for (var i = 0; i < tags.Length; i++)
        {
            yield return new($"tag {tags[i]}", new CableFilter { AllTags = { tags[i] } });
            yield return new($"origin {origins[i % origins.Length]}", new CableFilter { Origins = { origins[i % origins.Length] } });
            yield return new($"any of {tags[i]}, {tags[(i + 3) % tags.Length]} at most CONFIDENTIAL", new CableFilter
            {
                AnyTags = { tags[i], tags[(i + 3) % tags.Length] },
                MaxClassification = ClassificationLevel.Confidential,
            });
        }

        yield return new("date", new CableFilter { CreatedFrom = Timestamp.FromDateTime(q.Date.From), CreatedTo = Timestamp.FromDateTime(q.Date.To) });
        yield return new("combined", new CableFilter
        {
            AllTags = { q.Combined.Tag },
            Origins = { q.Combined.Origins },
            CreatedFrom = Timestamp.FromDateTime(q.Combined.From),
            CreatedTo = Timestamp.FromDateTime(q.Combined.To),
        });
        yield return new("matches nothing", new CableFilter { Origins = { "Embassy Nowhere" } });
    }

    private sealed record WatchedCable(Cable Cable);

    /// <summary>
    /// What a watcher here reads of a response: its kind and the cable's reference id, the rest skipped. The step
    /// measures the service; a full decode of every delivery would be the measuring process's cost (CPU and GC pauses),
    /// on the same two cores. Fields come in field-number order: kind, then the cable, whose reference id is its field 1.
    /// </summary>
    private sealed record Delivery(int Kind, string ReferenceId)
    {
        public static Delivery Read(DeserializationContext context)
        {
            var payload = context.PayloadAsReadOnlySequence();
            var input = payload.IsSingleSegment && MemoryMarshal.TryGetArray(payload.First, out var segment)
                ? new CodedInputStream(segment.Array!, segment.Offset, segment.Count)
                : new CodedInputStream(System.Buffers.BuffersExtensions.ToArray(payload));
            var kind = 0;
            for (uint tag; (tag = input.ReadTag()) != 0;)
            {
                switch (WireFormat.GetTagFieldNumber(tag))
                {
                    case WatchCablesResponse.KindFieldNumber:
                        kind = input.ReadInt32();
                        break;
                    case WatchCablesResponse.CableFieldNumber:
                        _ = input.ReadLength();
                        return input.ReadTag() == WireFormat.MakeTag(Cable.ReferenceIdFieldNumber, WireFormat.WireType.LengthDelimited)
                            ? new Delivery(kind, input.ReadString())
                            : throw new InvalidDataException("a delivered cable does not start with its reference id");
                    default:
                        input.SkipLastField();
                        break;
                }
            }

            return new Delivery(kind, "");
        }
    }

    private static readonly Method<WatchCablesRequest, Delivery> s_watch = new(
        MethodType.ServerStreaming,
        CableArchive.Descriptor.FullName,
        "WatchCables",
        Marshallers.Create<WatchCablesRequest>(request => request.ToByteArray(), WatchCablesRequest.Parser.ParseFrom),
        Marshallers.Create<Delivery>((_, _) => throw new NotSupportedException(), Delivery.Read));

    /// <summary>A filter and the same rule in memory, to count what a watcher should receive.</summary>
    private sealed record WatchedFilter(string Name, CableFilter Filter)
    {
        public bool Matches(WatchedCable watched)
        {
            var cable = watched.Cable;
            var created = cable.Created?.ToDateTime();
            return Filter.AllTags.All(cable.Tags.Contains)
                && (Filter.AnyTags.Count == 0 || Filter.AnyTags.Any(cable.Tags.Contains))
                && (Filter.Origins.Count == 0 || Filter.Origins.Contains(cable.Origin))
                && (Filter.CreatedFrom is null || (created is { } after && after >= Filter.CreatedFrom.ToDateTime()))
                && (Filter.CreatedTo is null || (created is { } before && before < Filter.CreatedTo.ToDateTime()))
                && (Filter.MaxClassification == ClassificationLevel.Unspecified
                    || (cable.Classification?.Level is { } level && level >= ClassificationLevel.Unclassified && level <= Filter.MaxClassification));
        }
    }

    /// <summary>
    /// Numbers the job's cables by reference id, and keeps each one's acknowledgement time. What a watcher keeps per
    /// delivery is then a number and a time, no reference a GC must trace: the measuring process's own pauses would
    /// otherwise show in the latencies it measures.
    /// </summary>
    private sealed class CableNumbers(int capacity)
    {
        private readonly ConcurrentDictionary<string, int> _numbers = new(StringComparer.Ordinal);
        private readonly long[] _acked = new long[capacity];

        public int Capacity => capacity;

        /// <summary>The cable's number, or -1 when more cables than the job sent were named (none can be).</summary>
        public int Of(string referenceId)
        {
            if (!_numbers.TryGetValue(referenceId, out var number))
            {
                // Numbered under a lock: a value factory may run twice for one key, and a number must not be skipped.
                lock (_numbers)
                {
                    if (!_numbers.TryGetValue(referenceId, out number))
                    {
                        number = _numbers.Count;
                        _numbers[referenceId] = number;
                    }
                }
            }

            return number < capacity ? number : -1;
        }

        public void Acked(string referenceId, long timestamp)
        {
            if (Of(referenceId) is var number and >= 0)
            {
                Volatile.Write(ref _acked[number], timestamp);
            }
        }

        public long? AckedAt(int number) => Volatile.Read(ref _acked[number]) is var acked and not 0 ? acked : null;
    }

    /// <summary>
    /// One WatchCables call and what arrived on it. The job creates each cable once (a fresh database), so each cable has
    /// one change: a cable arriving twice on one watcher is a duplicate.
    /// </summary>
    private sealed class Watcher(WatchedFilter filter, CableNumbers cables)
    {
        private const int PageSize = 4096; // 64 KiB pages of arrivals: under the large object heap's threshold

        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly bool[] _seen = new bool[cables.Capacity];
        private readonly List<(int Cable, long Arrived)[]> _pages = [];
        private int _count;
        private long _lastArrival = Stopwatch.GetTimestamp();

        public WatchedFilter Filter { get; } = filter;

        public Task Started => _started.Task;

        public IEnumerable<(int Cable, long Arrived)> Arrivals => Enumerable.Range(0, _count).Select(i => _pages[i / PageSize][i % PageSize]);

        public long Duplicates { get; private set; }

        public long Unknown { get; private set; }

        public TimeSpan QuietFor => Stopwatch.GetElapsedTime(Volatile.Read(ref _lastArrival));

        public async Task RunAsync(CallInvoker invoker, CancellationToken cancellationToken)
        {
            try
            {
                using var call = invoker.AsyncServerStreamingCall(
                    s_watch, null, new CallOptions(cancellationToken: cancellationToken), new WatchCablesRequest { Filter = Filter.Filter, FromNow = true });
                await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    var now = Stopwatch.GetTimestamp();
                    _started.TrySetResult();
                    if (response.Kind == (int)ChangeKind.Unspecified)
                    {
                        continue;
                    }

                    Volatile.Write(ref _lastArrival, now);
                    var cable = cables.Of(response.ReferenceId);
                    if (cable < 0)
                    {
                        Unknown++;
                    }
                    else if (_seen[cable])
                    {
                        Duplicates++;
                    }
                    else
                    {
                        _seen[cable] = true;
                        Add(cable, now);
                    }
                }
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled || cancellationToken.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                _started.TrySetResult();
            }
        }

        private void Add(int cable, long arrived)
        {
            if (_count % PageSize == 0)
            {
                _pages.Add(new (int, long)[PageSize]);
            }

            _pages[^1][_count % PageSize] = (cable, arrived);
            _count++;
        }
    }
}
