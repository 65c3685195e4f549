using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Npgsql;

namespace Cables.Bench.Load;

/// <summary>Puts every step's figures, the machine and the commit into one markdown report, with each target met or missed.</summary>
public static class Report
{
    /// <summary>What run.sh records of the `cablectl ingest` job itself.</summary>
    public sealed record IngestJob(double Seconds, int ExitCode, long WalBytes, long? JobWalBytes, long ServerHighWaterBytes, double ClientCpuSeconds, string? Summary);

    public static async Task RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var manifest = options.LoadManifest();
        var md = new StringBuilder();
        void Line(string text = "") => md.Append(text).Append('\n');
        void PointReads(List<PointReadBench.Result> reads)
        {
            Line("| view | callers | calls | calls/s | p50 | p90 | p99 | max | not found |");
            Line("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var r in reads)
                Line($"| {r.View} | {r.Callers} | {r.Calls:N0} | {r.CallsPerSecond:N0} | {r.P50Ms:N2} ms | {r.P90Ms:N2} ms | {r.P99Ms:N2} ms | {r.MaxMs:N1} ms | {r.NotFound} |");
            Line();
        }


        Line($"# CableService benchmark report");
        Line();
        Line($"- date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Line($"- commit: {options.Get("commit", "unknown")}");
        Line($"- machine: {Environment.ProcessorCount} cores ({CpuModel()}), {MemoryGiB():N1} GiB RAM, {RuntimeInformation.OSDescription}");
        Line($"- PostgreSQL: {await PostgresVersionAsync(options.Get("database"), cancellationToken)} ({options.Get("pg-settings", "")})");
        Line($"- .NET: {RuntimeInformation.FrameworkDescription}");
        Line($"- load average at report time (1/5/15 min): {File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Aggregate((a, b) => a + " " + b)}; during the run: {options.Get("load", "not recorded")}");
        Line($"- data: {manifest.Count:N0} generated cables, {manifest.Bytes / 1e9:N2} GB of cables.csv (seed {manifest.Seed})");
        Line();

        var targets = new List<(string Target, string Figure, bool? Met)>();

        Line("## 1. Parse");
        Line();
        var parse = Path.Combine(options.ResultsDirectory, "parse.txt");
        Line(File.Exists(parse) ? "```\n" + File.ReadAllText(parse).TrimEnd() + "\n```" : "(not run: bench/Cables.Bench.Parse is not in this commit)");
        targets.Add(("parse ≥ 50 MB/s per core", "see section 1", null));
        Line();

        Line("## 2. Ingest");
        Line();
        var job = options.ReadResult<IngestJob>("ingest");
        var ready = options.ReadResult<Readiness.Result>("ready");
        var copy = options.ReadResult<RawCopyBaseline.Result>("copy");
        double? structuredReadySeconds = null;
        double? jobPostgresCpuSeconds = null;
        if (job is not null)
        {
            var wal = job.JobWalBytes is { } jobWal
                ? $"{jobWal / 1e9:N1} GB WAL ({job.WalBytes / 1e9:N1} GB until every query answered)"
                : $"{job.WalBytes / 1e9:N1} GB WAL until every query answered";
            Line($"`cablectl ingest` job: {job.Seconds:N1} s, exit code {job.ExitCode}, {manifest.Count / job.Seconds:N0} cables/s, {manifest.Bytes / 1e6 / job.Seconds:N1} MB/s of CSV, {wal}, server peak RSS (VmHWM) {job.ServerHighWaterBytes / 1e6:N0} MB.");
            if (options.ReadResult<CpuTimes>("cpu-before-ingest") is { } cpuBefore)
            {
                // The job's own cost, then the indexers' too: the second reading is taken once full text answers.
                if (options.ReadResult<CpuTimes>("cpu-at-job-end") is { } cpuAtEnd)
                {
                    var cpu = cpuAtEnd - cpuBefore;
                    jobPostgresCpuSeconds = cpu.Postgres;
                    Line($"CPU over the job: service {cpu.Service:N0} s, PostgreSQL {cpu.Postgres:N0} s, cablectl {job.ClientCpuSeconds:N0} s: " +
                        $"{(cpu.Service + cpu.Postgres + job.ClientCpuSeconds) * 1e6 / manifest.Count:N0} CPU ms per 1,000 cables.");
                }

                if (options.ReadResult<CpuTimes>("cpu-after-ingest") is { } cpuAfter)
                {
                    var cpu = cpuAfter - cpuBefore;
                    Line($"CPU from the job's start until every query answered (the search indexers' work included): service {cpu.Service:N0} s, PostgreSQL {cpu.Postgres:N0} s.");
                }
            }
            if (!string.IsNullOrWhiteSpace(job.Summary))
                Line($"Job's last words: `{job.Summary.Trim()}`");
            Line();
        }
        if (ready is not null)
        {
            Line("Queryable over all cables, seconds from the job's start (CountCables polled every 0.5 s; full text once no vector is queued):");
            Line();
            Line("| query | expected | last count | ready after |");
            Line("|---|---:|---:|---:|");
            foreach (var s in ready.Shapes)
                Line($"| {s.Filter} | {s.Expected:N0} | {s.LastCount:N0} | {Seconds(s.ReadySeconds)} |");
            if (ready.Note is not null)
                Line($"\nNote: {ready.Note}");
            Line();
            var structured = ready.Shapes.Where(s => s.Name is "tag" or "origin" or "date" or "all").Select(s => s.ReadySeconds).ToArray();
            var structuredReady = structured.All(s => s is not null) ? structured.Max() : null;
            structuredReadySeconds = structuredReady;
            var text = ready.Shapes.FirstOrDefault(s => s.Name == "text")?.ReadySeconds;
            targets.Add(("tag, origin, date queryable ≤ 45 s", Seconds(structuredReady), structuredReady <= 45));
            targets.Add(("full text queryable ≤ 120 s", Seconds(text), text <= 120));
        }
        if (copy is not null)
        {
            Line($"Raw COPY baseline ({copy.Sessions} sessions, same rows into the same schema, then the full-text vectors computed in the database, " +
                $"one INSERT … SELECT a session): {copy.Cables:N0} cables ({copy.Rows:N0} rows in {copy.Tables.Count} tables, {copy.ExportBytes / 1e9:N2} GB binary) " +
                $"in {copy.Seconds:N1} s ({copy.RowsSeconds:N1} s COPY, {copy.VectorSeconds:N1} s vectors) = {copy.CablesPerSecond:N0} cables/s, " +
                $"{copy.CsvMegabytesPerSecond:N1} MB/s of CSV, {copy.WalBytes / 1e9:N1} GB WAL, " +
                $"PostgreSQL CPU {copy.PostgresCpuSeconds:N0} s = {copy.PostgresCpuSeconds * 1e6 / Math.Max(1, copy.Cables):N0} CPU ms per 1,000 cables" +
                (copy.PostgresRowsCpuSeconds > 0 ? $" ({copy.PostgresRowsCpuSeconds:N0} s of it for the rows)." : "."));
            Line($"Vectors: `{copy.Vector.Expression}`; {copy.Vector.Mismatches} of {copy.Vector.SampledRows} sampled vectors the service computed differ from it.");
            Line();
            var ingestSeconds = ready?.AllReadySeconds;
            if (ingestSeconds is { } e)
            {
                var ratio = copy.Seconds / e;
                Line($"End to end (job start to every query answering, full text included): {e:N1} s = {manifest.Count / e:N0} cables/s: **{ratio:P0} of the raw COPY rate** (rows and vectors).");
                targets.Add(("end-to-end ingest ≥ 70% of raw COPY", $"{ratio:P0} ({e:N0} s vs {copy.Seconds:N0} s)", ratio >= 0.7));
                if (structuredReadySeconds is { } r)
                    Line($"Rows alone (job start to tag, origin and date answering, against the COPY without vectors): {r:N1} s vs {copy.RowsSeconds:N1} s = {copy.RowsSeconds / r:P0}." +
                        (copy.PostgresRowsCpuSeconds > 0 && jobPostgresCpuSeconds is { } jobCpu
                            ? $" PostgreSQL's CPU for them: {jobCpu:N0} s over the job, {copy.PostgresRowsCpuSeconds:N0} s in the COPY."
                            : ""));
            }
            else
            {
                targets.Add(("end-to-end ingest ≥ 70% of raw COPY", "not every query became ready", false));
            }
            Line();
        }

        Line("## 3. Queries");
        Line();
        var queries = options.ReadResult<List<QueryBench.ShapeResult>>("queries");
        if (queries is not null)
        {
            Line("StreamCables, whole result read by one client; median of the rounds:");
            Line();
            Line("| view | query | cables (expected) | first cable | cables/s | MB/s | CPU ms per 1,000 cables: service / PostgreSQL / client |");
            Line("|---|---|---:|---:|---:|---:|---:|");
            foreach (var q in queries)
                Line($"| {q.View} | {q.Filter} | {q.Count:N0} ({q.Expected:N0}) | {q.FirstCableMs:N1} ms | {q.CablesPerSecond:N0} | {q.MegabytesPerSecond:N1} | {q.CpuMsPerThousand.Service:N0} / {q.CpuMsPerThousand.Postgres:N0} / {q.CpuMsPerThousand.Client:N0} |");
            Line();
            foreach (var view in queries.GroupBy(q => q.View))
            {
                var floor = view.Key == "BASIC" ? 50_000 : 20_000;
                var slowest = view.MinBy(q => q.CablesPerSecond)!;
                targets.Add(($"StreamCables {view.Key} ≥ {floor:N0} cables/s", $"{slowest.CablesPerSecond:N0} (slowest: {slowest.Shape}) to {view.Max(q => q.CablesPerSecond):N0}", view.All(q => q.CablesPerSecond >= floor)));
            }
            var firstWorst = queries.MaxBy(q => q.FirstCableMs)!;
            targets.Add(("first cable < 10 ms", $"{queries.Min(q => q.FirstCableMs):N1} to {firstWorst.FirstCableMs:N1} ms ({firstWorst.View} {firstWorst.Shape})", queries.All(q => q.FirstCableMs < 10)));
            var wrong = queries.Where(q => q.Count != q.Expected).ToArray();
            targets.Add(("query answers match the manifest", wrong.Length == 0 ? "all counts equal" : string.Join(", ", wrong.Select(q => $"{q.View} {q.Shape} {q.Count:N0}≠{q.Expected:N0}")), wrong.Length == 0));
        }
        var reads = options.ReadResult<List<PointReadBench.Result>>("getcable");
        if (reads is not null)
        {
            Line("GetCable, concurrent callers over one channel:");
            Line();
            PointReads(reads);
        }

        var secured = options.ReadResult<List<QueryBench.ShapeResult>>("queries-auth");
        if (queries is not null && secured is not null)
        {
            Line("The same streams with authentication and clearance on: the service restarted on the same database with");
            Line("`Cables:Auth:Mode=Jwt`, every call carrying a signed bearer token cleared TOP SECRET with every restricting");
            Line("control but NOCONTRACT, so each read states the clearance predicate in its SQL (one control withheld; an");
            Line("unrestricted caller would skip it):");
            Line();
            Line("| view | query | cables open / secured | cables/s open | cables/s secured | secured / open | service CPU ms per 1,000: open / secured |");
            Line("|---|---|---:|---:|---:|---:|---:|");
            foreach (var q in queries)
            {
                if (secured.FirstOrDefault(a => a.View == q.View && a.Shape == q.Shape) is { } a)
                    Line($"| {q.View} | {q.Shape} | {q.Count:N0} / {a.Count:N0} | {q.CablesPerSecond:N0} | {a.CablesPerSecond:N0} | {a.CablesPerSecond / q.CablesPerSecond:P0} | {q.CpuMsPerThousand.Service:N0} / {a.CpuMsPerThousand.Service:N0} |");
            }
            Line();
            if (options.ReadResult<List<PointReadBench.Result>>("getcable-auth") is { } securedReads)
            {
                Line("GetCable with the token:");
                Line();
                PointReads(securedReads);
            }
        }

        Line("## 4. Server memory while streaming to a slow client");
        Line();
        var memory = options.ReadResult<SlowClientBench.Result>("memory");
        if (memory is not null)
        {
            Line($"{memory.Count:N0} of {manifest.Count:N0} cables in FULL view read at ≤ {memory.Rate:N0} cables/s ({memory.Seconds:N0} s): server RSS {memory.RssBeforeBytes / 1e6:N0} MB before, " +
                $"peak {memory.RssPeakBytes / 1e6:N0} MB ({memory.Samples} samples, every 100 ms): growth **{memory.GrowthBytes / 1e6:N0} MB**; VmHWM since start {memory.HighWaterBytes / 1e6:N0} MB.");
            targets.Add(("server memory growth < 100 MB while streaming", $"{memory.GrowthBytes / 1e6:N0} MB", memory.GrowthBytes < 100_000_000));
            Line();
        }

        Line("## 5. Two ingest jobs at once");
        Line();
        if (options.ReadResult<TwoJobs.Result>("two-jobs") is { } two)
        {
            Line($"Two `cablectl ingest` jobs, each with half of the set, through two service instances on one new database: {two.Cables:N0} cables in " +
                $"{two.Seconds:N1} s (exit codes {string.Join(", ", two.ExitCodes)}) = **{two.Cables / two.Seconds:N0} cables/s combined**" +
                (job is not null ? $", against {manifest.Count / job.Seconds:N0} cables/s for the single job of section 2 ({two.Seconds / job.Seconds:P0} of its time)." : "."));
            Line($"Against the single job's database: cables (ids and content hashes) {(two.SameCables ? "equal" : "**differ**")} " +
                $"({two.Cables:N0} vs {two.SingleJobCables:N0}), citations {(two.SameReferences ? "equal" : "**differ**")}, revisions {(two.SameRevisions ? "equal" : "**differ**")}.");
            targets.Add(("two jobs at once: nothing lost or duplicated", $"{two.Cables:N0} cables, same as the single job: {two.SameCables && two.SameReferences && two.SameRevisions}",
                two.SameCables && two.SameReferences && two.SameRevisions && two.ExitCodes.All(c => c == 0)));
        }
        else
        {
            Line("(not run)");
        }

        Line();

        Line("## 6. Watch");
        Line();
        var watches = Directory.Exists(options.ResultsDirectory)
            ? Directory.GetFiles(options.ResultsDirectory, "watch-*.json").Order(StringComparer.Ordinal)
                .Select(path => options.ReadResult<WatchBench.Result>(Path.GetFileNameWithoutExtension(path))!).ToList()
            : [];
        if (watches.Count > 0)
        {
            Line($"One IngestCables stream of {watches[0].Cables:N0} cables into a fresh database per round, with no watcher, with 100 idle ones " +
                "(varied filter shapes that match nothing: the cost of being attached) and with 100 over varied filters (one watching everything); " +
                "latency from an item's acknowledgement to its delivery, on one clock. The watchers run in the measuring process, each on " +
                "its own connection, on the same two cores; its own GC pauses are shown, since they delay what it reads:");
            Line();
            Line("| watchers | ingest s | cables/s | CPU s: service / PostgreSQL / client | deliveries (expected) | duplicates | ack→delivery p50 | p99 | max | client GC pauses |");
            Line("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|");
            foreach (var w in watches)
                Line($"| {w.Watchers} {w.Kind} | {w.IngestSeconds:N1} | {w.Cables / w.IngestSeconds:N0} | {w.JobCpu.Service:N1} / {w.JobCpu.Postgres:N1} / {w.JobCpu.Client:N1} | {w.Deliveries:N0} ({w.ExpectedDeliveries:N0}) | {w.Duplicates + w.Unknown} | " +
                    $"{w.LatencyP50Ms?.ToString("N1", CultureInfo.InvariantCulture) ?? "-"} ms | {w.LatencyP99Ms?.ToString("N1", CultureInfo.InvariantCulture) ?? "-"} ms | {w.LatencyMaxMs?.ToString("N0", CultureInfo.InvariantCulture) ?? "-"} ms | {w.ClientGcPauseMs:N0} ms |");
            Line();
            // With an even number of rounds, the mean of the middle two: the upper one alone leans to the slower rounds.
            double Median(string kind, Func<WatchBench.Result, double>? of = null)
            {
                var values = watches.Where(w => w.Kind == kind).Select(of ?? (w => w.IngestSeconds)).Order().ToArray();
                return values.Length == 0 ? 0 : (values[(values.Length - 1) / 2] + values[values.Length / 2]) / 2;
            }

            var none = Median("none");
            if (none > 0 && Median("idle") is var idle and > 0)
            {
                Line($"Median ingest time with 100 idle watchers: **{idle / none:P0}** of the time without; with 100 varied ones: {Median("varied") / none:P0}. " +
                    $"Median CPU s, service / PostgreSQL: none {Median("none", w => w.JobCpu.Service):N1} / {Median("none", w => w.JobCpu.Postgres):N1}, " +
                    $"idle {Median("idle", w => w.JobCpu.Service):N1} / {Median("idle", w => w.JobCpu.Postgres):N1}, " +
                    $"varied {Median("varied", w => w.JobCpu.Service):N1} / {Median("varied", w => w.JobCpu.Postgres):N1}.");
                targets.Add(("ingest with 100 idle watchers within 5% of without", $"{idle / none:P0} of the time (medians)", idle / none <= 1.05));
            }

            var varied = watches.Where(w => w.Kind == "varied").ToArray();
            if (varied.Length > 0)
            {
                if (varied.Any(w => w.LatencyP99Ms is null))
                {
                    targets.Add(("watch ack→delivery p99 < 250 ms", "a round measured no delivery", false));
                }
                else
                {
                    var p99 = varied.Max(w => w.LatencyP99Ms!.Value);
                    targets.Add(("watch ack→delivery p99 < 250 ms", $"{p99:N0} ms (worst round)", p99 < 250));
                }
            }

            var exact = watches.All(w => w.Deliveries == w.ExpectedDeliveries && w.Duplicates == 0 && w.Unknown == 0);
            targets.Add(("every matching change delivered once", exact ? "all rounds" : "**not in every round**", exact));
        }
        else
        {
            Line("(not run)");
        }

        Line();

        Line("## Targets");
        Line();
        Line("| target | measured | |");
        Line("|---|---|---|");
        foreach (var (target, figure, met) in targets)
            Line($"| {target} | {figure} | {(met is null ? "see above" : met.Value ? "met" : "**missed**")} |");

        var report = md.ToString();
        var path = options.Get("out", "bench/out/report.md");
        await File.WriteAllTextAsync(path, report, cancellationToken);
        Console.Out.Write(report);
    }

    private static string Seconds(double? seconds) => seconds is { } s ? s.ToString("N1", CultureInfo.InvariantCulture) + " s" : "not reached";

    private static string CpuModel() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";

    private static double MemoryGiB() =>
        long.Parse(File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0 / 1024.0;

    private static async Task<string> PostgresVersionAsync(string connectionString, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT version()", connection);
            return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (NpgsqlException e)
        {
            return $"unknown ({e.Message})";
        }
    }
}
