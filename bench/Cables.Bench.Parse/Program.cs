using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Cables.Parsing;

// Parser throughput: every corpus cable in memory, parsed N times on one thread, then on all cores.
var iterations = ArgValue("--iterations", 10);
// Tiered JIT with dynamic PGO needs several passes before the parser runs fully optimised (3-9 on this machine):
// the figures are steady-state throughput, so these passes are not measured.
var warmups = ArgValue("--warmups", 5);
var corpus = ArgText("--corpus") ?? LocateCorpus();
var files = Directory.GetFiles(corpus, "*.txt");
Array.Sort(files, StringComparer.Ordinal);
var cables = files.Select(File.ReadAllText).ToArray();
var bytes = cables.Sum(c => (long)Encoding.UTF8.GetByteCount(c));
var megabytes = bytes / 1_000_000.0;

Console.WriteLine("Cables.Bench.Parse");
Console.WriteLine($"machine:  {Environment.ProcessorCount} cores, {CpuModel()}, {RuntimeInformation.OSDescription}");
Console.WriteLine($"runtime:  {RuntimeInformation.FrameworkDescription}, {(IsOptimized() ? "Release" : "Debug")}, GC {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}");
Console.WriteLine($"commit:   {GitCommit()}");
Console.WriteLine($"date:     {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine($"corpus:   {cables.Length} cables, {megabytes:F1} MB (UTF-8) from {corpus}");
Console.WriteLine($"passes:   {iterations} after {warmups} warm-up passes");

// Warm-up: JIT and tiering, and the slowest single cable seen.
var slowest = TimeSpan.Zero;
var slowestIndex = 0;
for (var i = 0; i < cables.Length; i++)
{
    var start = Stopwatch.GetTimestamp();
    CableParser.Parse(cables[i]);
    var elapsed = Stopwatch.GetElapsedTime(start);
    if (elapsed > slowest)
    {
        slowest = elapsed;
        slowestIndex = i;
    }
}

for (var pass = 1; pass < warmups; pass++)
{
    foreach (var cable in cables)
    {
        CableParser.Parse(cable);
    }
}

var single = Measure(iterations, () =>
{
    foreach (var cable in cables)
    {
        CableParser.Parse(cable);
    }
});

var parallel = Measure(iterations, () => Parallel.ForEach(cables, cable => CableParser.Parse(cable)));

// Per cable, best of N: each cable's least disturbed time. Their sum estimates one quiet core when others load the machine.
var perCable = new double[cables.Length];
Array.Fill(perCable, double.MaxValue);
for (var pass = 0; pass < iterations; pass++)
{
    for (var i = 0; i < cables.Length; i++)
    {
        var start = Stopwatch.GetTimestamp();
        CableParser.Parse(cables[i]);
        perCable[i] = Math.Min(perCable[i], Stopwatch.GetElapsedTime(start).TotalMicroseconds);
    }
}

// Allocation per cable, one thread: the parse's garbage is most of the GC's work during an ingest.
var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
foreach (var cable in cables)
{
    CableParser.Parse(cable);
}

var allocatedPerCable = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / (double)cables.Length;

var quietSeconds = perCable.Sum() / 1_000_000;
Array.Sort(perCable);
Report("one thread", single, 1);
Report($"all cores ({Environment.ProcessorCount})", parallel, Environment.ProcessorCount);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{"quiet core",-16} sum of per-cable best {quietSeconds * 1000,5:F0} ms  {megabytes / quietSeconds,7:F1} MB/s  {cables.Length / quietSeconds,9:F0} cables/s"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"allocated        {allocatedPerCable / 1024,7:F1} KB per cable, {allocatedPerCable * cables.Length / bytes,5:F1} bytes per input byte (UTF-8)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"per cable (best of {iterations}): median {perCable[perCable.Length / 2]:F0} us, p99 {perCable[(int)(perCable.Length * 0.99)]:F0} us, max {perCable[^1]:F0} us; slowest in warm-up {slowest.TotalMilliseconds:F1} ms ({Path.GetFileName(files[slowestIndex])})"));

void Report(string label, TimeSpan best, int cores)
{
    var mbPerSecond = megabytes / best.TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{label,-16} best pass {best.TotalMilliseconds,8:F0} ms  {mbPerSecond,7:F1} MB/s  {mbPerSecond / cores,7:F1} MB/s per core  {cables.Length / best.TotalSeconds,9:F0} cables/s"));
}

// Best of N passes: the machine is shared, and the best pass is the one least disturbed by others.
static TimeSpan Measure(int passes, Action pass)
{
    var best = TimeSpan.MaxValue;
    for (var i = 0; i < passes; i++)
    {
        var start = Stopwatch.GetTimestamp();
        pass();
        var elapsed = Stopwatch.GetElapsedTime(start);
        best = elapsed < best ? elapsed : best;
    }

    return best;
}

int ArgValue(string name, int fallback) =>
    ArgText(name) is { } text && int.TryParse(text, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;

string? ArgText(string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}

static string LocateCorpus()
{
    if (Environment.GetEnvironmentVariable("CABLES_SHARED_DIR") is { Length: > 0 } shared)
    {
        return Path.Combine(shared, "corpus", "cables");
    }

    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "CableService.sln")))
        {
            return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "corpus", "cables"));
        }
    }

    throw new DirectoryNotFoundException("corpus not found: pass --corpus DIR or set CABLES_SHARED_DIR");
}

static string CpuModel()
{
    const string cpuinfo = "/proc/cpuinfo";
    if (File.Exists(cpuinfo))
    {
        foreach (var line in File.ReadLines(cpuinfo))
        {
            if (line.StartsWith("model name", StringComparison.Ordinal))
            {
                return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }
    }

    return RuntimeInformation.ProcessArchitecture.ToString();
}

static string GitCommit()
{
    try
    {
        using var git = Process.Start(new ProcessStartInfo("git", "rev-parse --short HEAD")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        });
        if (git is null)
        {
            return "unknown";
        }

        var commit = git.StandardOutput.ReadToEnd().Trim();
        git.WaitForExit();
        var dirty = Process.Start(new ProcessStartInfo("git", "status --porcelain --untracked-files=no") { RedirectStandardOutput = true, WorkingDirectory = AppContext.BaseDirectory });
        var changes = dirty?.StandardOutput.ReadToEnd() ?? "";
        dirty?.WaitForExit();
        dirty?.Dispose();
        return git.ExitCode == 0 && commit.Length > 0 ? commit + (changes.Length > 0 ? " (with uncommitted changes)" : "") : "unknown";
    }
    catch (System.ComponentModel.Win32Exception)
    {
        return "unknown (git not found)";
    }
}

static bool IsOptimized() =>
    typeof(CableParser).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false) is not [DebuggableAttribute { IsJITOptimizerDisabled: true }];
