using System.Diagnostics;

namespace Cables.Cli.Tests.Processes;

/// <summary>SIGTERM and SIGINT stop every command at any point, with 128 + the signal's number.</summary>
public sealed class SignalTests() : FolderPerTest("cablectl-signal-")
{
    // Well inside Interruption.GracePeriod (5 s): the command itself stopped, the process did not just give up on it.
    private static readonly TimeSpan s_prompt = TimeSpan.FromSeconds(4);

    [Theory]
    [InlineData("TERM", 143)]
    [InlineData("INT", 130)]
    public async Task Parse_stops_on_a_signal_while_it_parses_megabyte_inputs(string signal, int exitCode)
    {
        string[] inputs = [LargeTelegrams(8), .. Corpus(3)];
        using var cablectl = CablectlProcess.Start(["parse", .. inputs]);
        await cablectl.FirstOutput.WaitAsync(TimeSpan.FromSeconds(60));

        var elapsed = await SignalAndTimeAsync(cablectl, signal);

        Assert.Equal(exitCode, await cablectl.WaitForExitAsync(TimeSpan.FromSeconds(1)));
        Assert.True(elapsed < s_prompt, $"exited {elapsed.TotalSeconds:0.0} s after SIG{signal}");
        Assert.True(cablectl.OutputLines < 8 + (3 * Directory.GetFiles(inputs[1], "*.txt").Length), "the parse was cut short");
    }

    [Fact]
    public async Task A_dry_run_stops_on_sigint()
    {
        // About 10 s of work on a quiet machine (one corpus pass takes about 0.25 s). It prints nothing until it ends, so
        // its CPU time shows it at work: past the runtime's start and the signal handlers, and far from done.
        using var cablectl = CablectlProcess.Start(["ingest", "--dry-run", LargeTelegrams(8), .. Corpus(40)]);
        await Poll.UntilAsync(
            () => cablectl.HasExited || cablectl.ProcessorTime > TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(60), "1.5 s of CPU spent");

        var elapsed = await SignalAndTimeAsync(cablectl, "INT");

        var exitCode = await cablectl.WaitForExitAsync(TimeSpan.FromSeconds(1));
        Assert.True(exitCode == 130, $"exit code {exitCode}; stdout: {cablectl.Output}; stderr: {cablectl.Error}");
        Assert.True(elapsed < s_prompt, $"exited {elapsed.TotalSeconds:0.0} s after SIGINT");
        Assert.DoesNotContain("dry run:", cablectl.Output);
    }

    [Fact]
    public async Task An_ingest_stops_on_sigterm_mid_run_with_its_summary_and_a_state_file_of_what_was_answered()
    {
        await using var server = await FakeCablesServer.StartAsync();
        var inputs = Directory.CreateDirectory(Folder.File("inputs")).FullName;
        for (var i = 0; i < 3_000; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(inputs, $"{i:D5}.txt"), $"cable {i}");
        }

        var state = Folder.File("state");
        using var cablectl = CablectlProcess.Start(
            "ingest", inputs, "--server", server.Address.ToString(), "--resume", state, "--rejects", Folder.File("rejects.jsonl"));
        await server.WaitForRequestsAsync(200, TimeSpan.FromSeconds(60));

        var elapsed = await SignalAndTimeAsync(cablectl, "TERM");

        Assert.Equal(143, await cablectl.WaitForExitAsync(TimeSpan.FromSeconds(1)));
        Assert.True(elapsed < s_prompt, $"exited {elapsed.TotalSeconds:0.0} s after SIGTERM");
        Assert.Contains("interrupted: rerun with the same --resume file", cablectl.Error);
        Assert.Contains("ingested ", cablectl.Output);
        var recorded = await File.ReadAllLinesAsync(state);
        Assert.NotEmpty(recorded);
        Assert.True(recorded.Length < 3_000, "stopped mid-run");
        Assert.Equal(recorded.Length, recorded.Distinct().Count());
        Assert.All(recorded, source => Assert.True(server.Commits.ContainsKey(source), $"{source} recorded but never committed"));
    }

    [Fact]
    public async Task A_query_stops_on_sigterm_while_rows_stream_in()
    {
        await using var server = await FakeCablesServer.StartAsync();
        using var cablectl = CablectlProcess.Start("query", "--format", "ids", "--server", server.Address.ToString());
        await Poll.UntilAsync(() => server.Streamed > 10, TimeSpan.FromSeconds(60), "more than 10 cables streamed"); // piped output is buffered: watch the server

        var elapsed = await SignalAndTimeAsync(cablectl, "TERM");

        Assert.Equal(143, await cablectl.WaitForExitAsync(TimeSpan.FromSeconds(1)));
        Assert.True(elapsed < s_prompt, $"exited {elapsed.TotalSeconds:0.0} s after SIGTERM");
        Assert.StartsWith("10TEST1\n", cablectl.Output, StringComparison.Ordinal);
    }

    private static async Task<TimeSpan> SignalAndTimeAsync(CablectlProcess cablectl, string signal)
    {
        Assert.False(cablectl.HasExited, "cablectl was still at work when signalled");
        var clock = Stopwatch.StartNew();
        await cablectl.SignalAsync(signal);
        await cablectl.WaitForExitAsync(TimeSpan.FromSeconds(30));
        return clock.Elapsed;
    }

    /// <summary>The corpus's telegram folder named <paramref name="times"/> times: each is read again, for a job of several seconds.</summary>
    private static string[] Corpus(int times) => [.. Enumerable.Repeat(SharedFolder.Path("corpus", "cables"), times)];

    /// <summary>A folder of telegrams of about 1 MB each (the seed cable with many paragraphs), which sort first.</summary>
    private string LargeTelegrams(int count)
    {
        var folder = Directory.CreateDirectory(Folder.File("large")).FullName;
        var seed = File.ReadAllText(SharedFolder.Path("corpus", "seed", "08BRUSSELS1390.txt"));
        var text = new System.Text.StringBuilder(seed);
        for (var paragraph = 1; text.Length < 1_000_000; paragraph++)
        {
            text.Append($"\n\n{paragraph}. (C) ").Append(string.Concat(Enumerable.Repeat("THE MINISTER RAISED THE QUESTION AGAIN. ", 25)));
        }

        for (var i = 0; i < count; i++)
        {
            File.WriteAllText(Path.Combine(folder, $"{i:D2}.txt"), text.ToString());
        }

        return folder;
    }
}
