using System.Diagnostics;
using Cables.Api.V1;
using Grpc.Core;

namespace Cables.Bench.Load;

/// <summary>
/// Polls CountCables while the ingest job runs, and records when each query shape first answers over all the
/// cables it must find, counted from the job's start (--since, Unix milliseconds).
/// </summary>
/// <remarks>
/// While the job runs (--job-pid; --job-end-file, which the harness writes the moment `cablectl` exits, ends it sooner
/// than the pid, whose shell reads the job's CPU first), nothing is polled: every item is acknowledged only after its batch commits, so no
/// count can be complete before the job's last acknowledgement, and a poll costs the database the job is writing to.
/// A total count every 0.5 s during the job cost PostgreSQL a growing scan of the table: 4-8 s longer jobs in an A/B,
/// and bench run 30 against 31 (the old poller against this one) 79.9 s against 58.6 s. Once the job has exited, every
/// shape is polled until it answers.
/// With --database, the full-text shape is asked only once the store's queue of vectors to compute is empty: until
/// then its count cannot be complete, and a full-text count while the vectors are being indexed costs PostgreSQL a
/// second or more of both cores (bench run 13: its polls slowed the indexing they waited for). Readiness is still
/// what CountCables answers.
/// </remarks>
public static class Readiness
{
    public sealed record ShapeReadiness(string Name, string Filter, long Expected, long LastCount, double? ReadySeconds);

    public sealed record Result(double? AllReadySeconds, double? JobExitSeconds, IReadOnlyList<ShapeReadiness> Shapes, string? Note);

    public static async Task RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var manifest = options.LoadManifest();
        var textExpected = options.ReadResult<TextExpectation.Result>("text-expected");
        var shapes = Filters.Shapes(manifest, textExpected?.Count).Where(s => s.Name != "combined")
            .Prepend(new QueryShape("all", new CableFilter(), manifest.Count)).ToArray();
        var since = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(options.Get("since")));
        var jobPid = options.GetInt("job-pid", 0);
        var jobEndFile = options.Get("job-end-file", "");
        var timeout = TimeSpan.FromSeconds(options.GetInt("timeout-seconds", 1200));
        var database = options.Get("database", "");
        await using var queue = database.Length == 0 ? null : Npgsql.NpgsqlDataSource.Create(database);
        var queued = -1L;

        using var channel = options.OpenChannel();
        var client = options.Client(channel);
        var counts = shapes.ToDictionary(s => s.Name, _ => -1L);
        var ready = new Dictionary<string, double>();
        double? jobExit = null;
        var unchangedSince = Stopwatch.StartNew();
        string? note = null;

        while (ready.Count < shapes.Length && !cancellationToken.IsCancellationRequested)
        {
            if (jobExit is null && jobPid > 0)
            {
                if (Directory.Exists($"/proc/{jobPid}") && (jobEndFile.Length == 0 || !File.Exists(jobEndFile)))
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
                    continue;
                }

                jobExit = Elapsed(since);
                unchangedSince.Restart();
            }

            var changed = false;
            // Without a job to watch, only the total is polled until it is complete: the filtered counts cannot be
            // complete before it, and polling them all the while would load the database the job is writing to.
            var polled = shapes.Where(s => !ready.ContainsKey(s.Name) && (s.Name == "all" || ready.ContainsKey("all") || jobExit is not null)).ToArray();
            foreach (var shape in polled)
            {
                if (shape.Name == "text" && queue is not null)
                {
                    await using var command = queue.CreateCommand("SELECT count(*) FROM cable_search_queue");
                    var now = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
                    changed |= now != queued;
                    queued = now;
                    if (now > 0)
                        continue;
                }

                long count;
                try
                {
                    count = (await client.CountCablesAsync(new CountCablesRequest { Filter = shape.Filter }, cancellationToken: cancellationToken)).Count;
                }
                catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal)
                {
                    continue; // the service is busy or restarting its pool: try again next round
                }
                changed |= count != counts[shape.Name];
                counts[shape.Name] = count;
                if (count == shape.Expected)
                {
                    ready[shape.Name] = Elapsed(since);
                    Console.Error.WriteLine($"ready: {shape.Name} answers {count:N0} cables at {ready[shape.Name]:N1} s");
                }
            }
            if (changed)
                unchangedSince.Restart();

            // Once the job is over, counts that stop moving will not reach their expectation: say so rather than wait.
            if (jobExit is not null && unchangedSince.Elapsed > TimeSpan.FromSeconds(15))
            {
                note = "stopped 15 s after the job ended with counts no longer changing: " +
                    string.Join(", ", shapes.Where(s => !ready.ContainsKey(s.Name)).Select(s => $"{s.Name} {counts[s.Name]:N0} of {s.Expected:N0}"));
                break;
            }
            if (Elapsed(since) > timeout.TotalSeconds)
            {
                note = $"timed out after {timeout.TotalSeconds:N0} s";
                break;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }

        var result = new Result(
            ready.Count == shapes.Length ? ready.Values.Max() : null,
            jobExit,
            [.. shapes.Select(s => new ShapeReadiness(s.Name, Filters.Describe(s, manifest), s.Expected, counts[s.Name], ready.TryGetValue(s.Name, out var t) ? t : null))],
            note);
        await options.WriteResultAsync("ready", result, CancellationToken.None);
        if (note is not null)
            Console.Error.WriteLine($"ready: {note}");
    }

    private static double Elapsed(DateTimeOffset since) => (DateTimeOffset.UtcNow - since).TotalSeconds;
}
