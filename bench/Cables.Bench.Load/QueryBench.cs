using System.Diagnostics;
using Cables.Api.V1;
using Grpc.Core;

namespace Cables.Bench.Load;

/// <summary>StreamCables per query shape and view: time to the first cable, cables per second, and whether the count is right.</summary>
public static class QueryBench
{
    public sealed record Run(double FirstCableMs, double Seconds, long Count);

    /// <summary>One measured pass: a view, an optional read mask, and the one shape it is limited to (null: every shape).</summary>
    private sealed record Pass(string Label, CableView View, Google.Protobuf.WellKnownTypes.FieldMask? Mask, string? Shape);

    /// <summary><see cref="CpuMsPerThousand"/>: CPU milliseconds per 1,000 cables streamed, for service, PostgreSQL and client.</summary>
    public sealed record ShapeResult(string Shape, string Filter, string View, long Expected, long Count, double FirstCableMs, double CablesPerSecond, double MegabytesPerSecond, CpuTimes CpuMsPerThousand, IReadOnlyList<Run> Runs);

    public static async Task RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var manifest = options.LoadManifest();
        var textExpected = options.ReadResult<TextExpectation.Result>("text-expected");
        var rounds = options.GetInt("rounds", 3);
        var serverPid = options.GetInt("server-pid", 0);
        using var channel = options.OpenChannel();
        var client = options.Client(channel);

        // Unmeasured: the client's JIT and the server's first calls would otherwise count in the first shape's CPU.
        // Every shape, since GIN-served filters take another read path (ordered keys, then rows by key), whose first
        // use would otherwise count in the tag shape, measured first.
        foreach (var view in new[] { CableView.Basic, CableView.Full })
        {
            foreach (var shape in Filters.Shapes(manifest, textExpected?.Count))
            {
                await StreamAsync(client, new StreamCablesRequest { Filter = shape.Filter, View = view, Limit = 5_000 }, cancellationToken);
            }
        }

        var results = new List<ShapeResult>();
        // BASIC and FULL for every shape; then FULL trimmed by a read mask to subject and body, for the origin shape: what
        // a caller that wants the text without the raw text and paragraphs pays.
        var bodyOnly = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "reference_id", "subject", "body" } };
        Pass[] passes = [new("BASIC", CableView.Basic, null, null), new("FULL", CableView.Full, null, null), new("BODY MASK", CableView.Full, bodyOnly, "origin")];
        foreach (var pass in passes)
        {
            foreach (var shape in Filters.Shapes(manifest, textExpected?.Count).Where(s => pass.Shape is null || s.Name == pass.Shape))
            {
                var view = pass.View;
                var runs = new List<Run>();
                long bytes = 0;
                var cpuBefore = CpuTimes.Read(serverPid);
                for (var round = 0; round < rounds; round++)
                {
                    var (run, runBytes) = await StreamAsync(client, new StreamCablesRequest { Filter = shape.Filter, View = view, ReadMask = pass.Mask }, cancellationToken);
                    runs.Add(run);
                    bytes = runBytes;
                }
                var cpu = (CpuTimes.Read(serverPid) - cpuBefore).PerThousandCables(runs.Sum(r => r.Count));
                // The median round: the first warms caches, a later one may meet a neighbour's build.
                var median = runs.OrderBy(r => r.Seconds).ElementAt(runs.Count / 2);
                var firstCable = runs.Select(r => r.FirstCableMs).Order().ElementAt(runs.Count / 2);
                var result = new ShapeResult(shape.Name, Filters.Describe(shape, manifest), pass.Label, shape.Expected, median.Count, firstCable,
                    median.Count / median.Seconds, bytes / 1e6 / median.Seconds, cpu, runs);
                results.Add(result);
                Console.Error.WriteLine($"queries: {result.View,-5} {result.Shape,-8} {result.Count,8:N0} cables (expected {result.Expected:N0}), first after {result.FirstCableMs:N1} ms, {result.CablesPerSecond,9:N0} cables/s; CPU ms per 1,000: service {cpu.Service:N0}, PostgreSQL {cpu.Postgres:N0}, client {cpu.Client:N0}");
            }
        }
        await options.WriteResultAsync(options.ResultName("queries"), results, cancellationToken);
    }

    /// <summary>Reads a whole stream; the size of each cable is its protobuf encoding, what travelled on the wire.</summary>
    public static async Task<(Run Run, long Bytes)> StreamAsync(CableArchiveClient client, StreamCablesRequest request, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        double firstCable = 0;
        long count = 0, bytes = 0;
        using var call = client.StreamCables(request, cancellationToken: cancellationToken);
        await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            if (count++ == 0)
                firstCable = clock.Elapsed.TotalMilliseconds;
            bytes += response.CalculateSize();
        }
        return (new Run(firstCable, clock.Elapsed.TotalSeconds, count), bytes);
    }
}
