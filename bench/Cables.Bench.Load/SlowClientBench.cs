using System.Diagnostics;
using Cables.Api.V1;
using Grpc.Core;

namespace Cables.Bench.Load;

/// <summary>
/// Streams every cable (for at most --max-seconds) in FULL view to a client that reads at a fixed, slow rate, while sampling the server's
/// resident memory: a server that buffers instead of waiting for the client grows by what the client has not read.
/// </summary>
public static class SlowClientBench
{
    public sealed record Result(int Rate, long Count, double Seconds, long RssBeforeBytes, long RssPeakBytes, long GrowthBytes, long HighWaterBytes, int Samples);

    public static async Task RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var pid = int.Parse(options.Get("server-pid"));
        // The client must be the slow side: on a loaded machine the server may stream FULL cables slower than the
        // requested rate, so read at most a quarter of the slowest FULL rate the query benchmark measured.
        var rate = options.GetInt("rate", 5000);
        if (options.ReadResult<List<QueryBench.ShapeResult>>("queries") is { Count: > 0 } queries
            && queries.Where(q => q.View == "FULL").Select(q => q.CablesPerSecond).DefaultIfEmpty(double.MaxValue).Min() is var full
            && full / 4 < rate)
        {
            rate = Math.Max(100, (int)(full / 4));
        }
        var maxDuration = TimeSpan.FromSeconds(options.GetInt("max-seconds", 90));
        using var channel = options.OpenChannel();
        var client = options.Client(channel);

        var before = ProcessMemory.Read(pid).Rss;
        var peak = before;
        var samples = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token))
                {
                    peak = Math.Max(peak, ProcessMemory.Read(pid).Rss);
                    samples++;
                }
            }
            catch (OperationCanceledException)
            {
                // the stream is over
            }
        }, CancellationToken.None);

        var clock = Stopwatch.StartNew();
        long count = 0;
        using (var call = client.StreamCables(new StreamCablesRequest { View = CableView.Full }, cancellationToken: cancellationToken))
        {
            await foreach (var _ in call.ResponseStream.ReadAllAsync(cancellationToken))
            {
                // Every hundred cables, wait until the schedule allows them: the stream stays at the rate.
                if (++count % 100 == 0)
                {
                    if (clock.Elapsed > maxDuration)
                        break; // long enough to see whether the server buffers: leaving the call cancels it
                    var ahead = TimeSpan.FromSeconds((double)count / rate) - clock.Elapsed;
                    if (ahead > TimeSpan.Zero)
                        await Task.Delay(ahead, cancellationToken);
                }
            }
        }
        var seconds = clock.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await sampler;

        var (_, highWater) = ProcessMemory.Read(pid);
        var result = new Result(rate, count, seconds, before, peak, peak - before, highWater, samples);
        await options.WriteResultAsync("memory", result, cancellationToken);
        Console.Error.WriteLine($"memory: {count:N0} cables at ≤{rate:N0}/s in {seconds:N0} s; server RSS {before / 1e6:N0} MB before, peak {peak / 1e6:N0} MB (+{result.GrowthBytes / 1e6:N0} MB), VmHWM {highWater / 1e6:N0} MB");
    }
}
