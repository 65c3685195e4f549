using System.Diagnostics;
using System.Text.Json;
using Cables.Bench.Generate;

// cables-generate [--corpus DIR] [--count N] [--seed S] [--out FILE.csv] [--manifest FILE.json]
var options = CommandLine.Parse(args);
var corpus = options.GetValueOrDefault("corpus", "../shared/corpus");
var count = int.Parse(options.GetValueOrDefault("count", "250000"));
var seed = int.Parse(options.GetValueOrDefault("seed", "20101128"));
var output = options.GetValueOrDefault("out", "bench/out/cables.csv");
var manifestPath = options.GetValueOrDefault("manifest", Path.ChangeExtension(output, ".manifest.json"));

var clock = Stopwatch.StartNew();
var (templates, posts, tagPool, excluded) = ParserCheck.Filter(CorpusReader.ReadTemplates(corpus));
Console.Error.WriteLine($"generate: {templates.Count} templates, {posts.Posts.Count} posts from {corpus}; left out as the parser reads them otherwise: {excluded}");

var generator = new CableGenerator(templates, posts, tagPool, seed);
var tally = new Tally(count);
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
long bytes;
var redrawn = 0;
using (var writer = new CablesCsvWriter(new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.SequentialScan)))
{
    for (var i = 0; i < count; i++)
    {
        // Every cable is parsed back before it is written: the probes above catch most templates, posts and tags the
        // parser reads otherwise, not every combination (a headerless template signed by the Secretary reads as
        // "Secretary of State" whatever station its banner names). A cable that does not read back is drawn again.
        var cable = generator.Next();
        while (!ParserCheck.ReadsBack(cable))
        {
            redrawn++;
            cable = generator.Next(cable.Row);
        }

        writer.Write(cable);
        tally.Add(cable);
    }
    writer.Flush();
    bytes = writer.BytesWritten;
}

var manifest = tally.ToManifest(seed, bytes, Path.GetFileName(output));
await using (var json = File.Create(manifestPath))
    await JsonSerializer.SerializeAsync(json, manifest, JsonDefaults.Options);

Console.Error.WriteLine($"generate: {redrawn:N0} drawn again because the parser read them otherwise");
Console.Error.WriteLine($"generate: {count:N0} cables, {bytes / 1e6:N0} MB in {clock.Elapsed.TotalSeconds:N1} s -> {output}, {manifestPath}");

internal static class JsonDefaults
{
    public static readonly JsonSerializerOptions Options = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
}
