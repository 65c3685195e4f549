using System.Diagnostics;
using Cables.Api.V1;

namespace Cables.Bench.Load;

/// <summary>GetCable latency with concurrent callers over one channel, as a busy client would call it.</summary>
public static class PointReadBench
{
    public sealed record Result(int Callers, string View, int Calls, double Seconds, double CallsPerSecond, double P50Ms, double P90Ms, double P99Ms, double MaxMs, int NotFound);

    public static async Task RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var manifest = options.LoadManifest();
        var callers = options.GetInt("callers", 16);
        var callsPerCaller = options.GetInt("calls-per-caller", 500);
        var ids = manifest.SampleIds;
        using var channel = options.OpenChannel();
        var client = options.Client(channel);

        var results = new List<Result>();
        foreach (var view in new[] { CableView.Basic, CableView.Full })
        {
            // Warm up connections and the server's code paths off the record.
            await Task.WhenAll(Enumerable.Range(0, callers).Select(c => CallAsync(client, ids, c, 20, callers, view, cancellationToken)));

            var clock = Stopwatch.StartNew();
            var perCaller = await Task.WhenAll(Enumerable.Range(0, callers).Select(c => CallAsync(client, ids, c, callsPerCaller, callers, view, cancellationToken)));
            var seconds = clock.Elapsed.TotalSeconds;

            var latencies = perCaller.SelectMany(r => r.Latencies).Order().ToArray();
            var result = new Result(callers, view.ToString().ToUpperInvariant(), latencies.Length, seconds, latencies.Length / seconds,
                Percentile(latencies, 0.50), Percentile(latencies, 0.90), Percentile(latencies, 0.99), latencies[^1], perCaller.Sum(r => r.NotFound));
            results.Add(result);
            Console.Error.WriteLine($"getcable: {result.View,-5} {callers} callers, {result.Calls:N0} calls, p50 {result.P50Ms:N2} ms, p99 {result.P99Ms:N2} ms, {result.CallsPerSecond:N0} calls/s, {result.NotFound} not found");
        }
        await options.WriteResultAsync(options.ResultName("getcable"), results, cancellationToken);
    }

    private static async Task<(List<double> Latencies, int NotFound)> CallAsync(
        CableArchiveClient client, IReadOnlyList<string> ids, int caller, int calls, int callers, CableView view, CancellationToken cancellationToken)
    {
        var latencies = new List<double>(calls);
        var notFound = 0;
        for (var i = 0; i < calls; i++)
        {
            var id = ids[(caller + i * callers) % ids.Count];
            var start = Stopwatch.GetTimestamp();
            try
            {
                await client.GetCableAsync(new GetCableRequest { ReferenceId = id, View = view }, cancellationToken: cancellationToken);
            }
            catch (Grpc.Core.RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.NotFound)
            {
                notFound++;
            }
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return (latencies, notFound);
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
