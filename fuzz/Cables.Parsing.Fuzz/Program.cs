using Cables.Parsing.Fuzz;

// cablefuzz TARGET --engine libfuzzer|afl|loop [--seconds N] [--seeds DIR]... [--out DIR] [--slow-ms N] [--seed N]
// libfuzzer and afl hand the target to SharpFuzz, under an engine that fuzz/run.sh starts; loop runs in-process.
if (args.Length < 1 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: Cables.Parsing.Fuzz {{{string.Join('|', FuzzTargets.All.Keys)}}} [--engine libfuzzer|afl|loop] [--seconds N] [--seeds DIR]... [--out DIR] [--slow-ms N] [--seed N]");
    return 2;
}

var options = LoopOptions.From(args[1..]);
switch (options.Engine)
{
    case "libfuzzer":
        SharpFuzz.Fuzzer.LibFuzzer.Run(data => target(FuzzTargets.Decode(data)));
        return 0;
    case "afl":
        SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
        {
            using var reader = new StreamReader(stream);
            target(reader.ReadToEnd());
        });
        return 0;
    default:
        return new MutationLoop(args[0], target, options).Run();
}
