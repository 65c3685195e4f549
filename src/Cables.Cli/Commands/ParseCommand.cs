using System.CommandLine;
using Cables.Cli.Inputs;
using Cables.Cli.Mapping;
using Cables.Cli.Output;
using Cables.Parsing;

namespace Cables.Cli.Commands;

/// <summary><c>cablectl parse [--jsonl] PATH…</c>: parse locally, print one JSON object per cable (issue #2).</summary>
public static class ParseCommand
{
    public static Command Create()
    {
        var jsonl = new Option<bool>("--jsonl") { Description = "One JSON object per line (the default and only format; accepted for explicit scripts)" };
        var paths = new Argument<string[]>("PATH")
        {
            Description = "Telegram .txt files, WikiLeaks .html pages, cables.csv files, or folders of them (walked recursively)",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("parse", "Parse cables locally and print them as JSON lines (protobuf JSON names, plus \"source\")") { jsonl, paths };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetRequiredValue(paths), result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    /// <summary>Exit code 0 when every input parsed; 1 when a path was missing or some input gave an error line.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> paths, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var source = CableSource.FromPaths(paths);
        foreach (var missing in source.Missing)
        {
            await error.WriteLineAsync($"cablectl parse: {missing}: no such file or folder");
        }

        var errors = 0;
        await using (var stdout = StandardOutput.For(output))
        {
            var lines = source.Read().SelectOrderedAsync(ToLine, 4 * Environment.ProcessorCount, cancellationToken);
            await foreach (var (line, failed) in lines)
            {
                errors += failed ? 1 : 0;
                await stdout.Writer.WriteLineAsync(line);
            }
        }

        return source.Missing.Count > 0 || errors > 0 ? 1 : 0;
    }

    private static (string Line, bool Failed) ToLine(SourceItem item)
    {
        if (item.Cable is null)
        {
            return (CableJson.FormatError(item.Source, item.Error ?? "unreadable"), true);
        }

        try
        {
            var parsed = CableParser.Parse(item.Cable);
            return (CableJson.Format(CableMapper.ToApi(parsed), item.Source), false);
        }
        catch (Exception ex)
        {
            return (CableJson.FormatError(item.Source, $"{ex.GetType().Name}: {ex.Message}"), true);
        }
    }
}
