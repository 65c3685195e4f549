using Cables.Bench.Generate;
using Cables.Bench.Load;

// cables-load COMMAND --name value ...: one step of bench/run.sh; each writes its figures as JSON under --results.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: Cables.Bench.Load expect-text|copy|ready|queries|memory|cpu|split|two-jobs-check|watch|report --name value ...");
    return 2;
}

var options = new BenchOptions(CommandLine.Parse(args.Skip(1)));
CpuTimes.PostmasterPid = options.GetInt("pg-pid", 0);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

switch (args[0])
{
    case "expect-text":
        await TextExpectation.RunAsync(options, cancel.Token);
        break;
    case "copy":
        await RawCopyBaseline.RunAsync(options, cancel.Token);
        break;
    case "ready":
        await Readiness.RunAsync(options, cancel.Token);
        break;
    case "queries":
        await QueryBench.RunAsync(options, cancel.Token);
        await PointReadBench.RunAsync(options, cancel.Token);
        break;
    case "memory":
        await SlowClientBench.RunAsync(options, cancel.Token);
        break;
    case "cpu":
        await options.WriteResultAsync(options.Get("name"), CpuTimes.Read(options.GetInt("server-pid", 0)), cancel.Token);
        break;
    case "split":
        await TwoJobs.SplitAsync(options, cancel.Token);
        break;
    case "two-jobs-check":
        await TwoJobs.CheckAsync(options, cancel.Token);
        break;
    case "watch":
        await WatchBench.RunAsync(options, cancel.Token);
        break;
    case "report":
        await Report.RunAsync(options, cancel.Token);
        break;
    default:
        Console.Error.WriteLine($"unknown command '{args[0]}'");
        return 2;
}
return 0;
