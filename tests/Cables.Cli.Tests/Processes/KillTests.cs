using System.Text;

namespace Cables.Cli.Tests.Processes;

/// <summary>An ingest killed with SIGKILL at random moments and resumed each time.</summary>
public sealed class KillTests() : FolderPerTest("cablectl-kill-")
{
    private const int Items = 6_000;
    private const int Kills = 10;

    [Fact]
    public async Task An_ingest_killed_at_random_moments_and_resumed_accounts_for_every_item_once()
    {
        await using var server = await FakeCablesServer.StartAsync();
        var (sources, rejected) = WriteInputs();
        var state = Folder.File("state");
        var rejects = Folder.File("rejects.jsonl");
        string[] args = ["ingest", Folder.File("inputs"), "--server", server.Address.ToString(), "--resume", state, "--rejects", rejects, "--allow-rejects"];
        var seed = Environment.TickCount;
        var random = new Random(seed);

        for (var kill = 1; kill <= Kills; kill++)
        {
            var received = server.Received;
            using var cablectl = CablectlProcess.Start(args);
            await server.WaitForRequestsAsync(received, TimeSpan.FromSeconds(60)); // at work: files open, items going out
            await Task.Delay(random.Next(0, 600));
            Assert.False(cablectl.HasExited, $"kill {kill} (seed {seed}): the job ended before it; stderr: {cablectl.Error}");
            cablectl.Kill();
            await cablectl.WaitForExitAsync(TimeSpan.FromSeconds(10));

            var context = $"after kill {kill} (seed {seed})";
            var recorded = CompleteLines(state);
            var kept = CompleteLines(rejects).Select(line => SourceOf(line, context)).ToList();
            AssertOnce(recorded, context + ", state");
            AssertOnce(kept, context + ", rejects");
            Assert.All(recorded, source => Assert.Contains(source, sources));
            Assert.All(kept, source => Assert.Contains(source, rejected));

            // A rejection is kept before its item is recorded: an item the next run skips has its rejection in the file.
            Assert.All(recorded.Where(rejected.Contains), source => Assert.Contains(source, kept));
        }

        using (var last = CablectlProcess.Start(args))
        {
            Assert.True(await last.WaitForExitAsync(TimeSpan.FromSeconds(120)) == 0, last.Error);
        }

        Assert.EndsWith("\n", await File.ReadAllTextAsync(state));
        Assert.EndsWith("\n", await File.ReadAllTextAsync(rejects));
        var final = await File.ReadAllLinesAsync(state);
        AssertOnce(final, "state at the end");
        Assert.Equal(sources.Order(StringComparer.Ordinal), final.Order(StringComparer.Ordinal));
        var finalRejects = (await File.ReadAllLinesAsync(rejects)).Select(line => SourceOf(line, "rejects at the end")).ToList();
        AssertOnce(finalRejects, "rejects at the end");
        Assert.Equal(rejected.Order(StringComparer.Ordinal), finalRejects.Order(StringComparer.Ordinal));
        Assert.Equal(sources.Except(rejected).Order(StringComparer.Ordinal), server.Commits.Keys.Order(StringComparer.Ordinal));
    }

    /// <summary>Telegram files; every 10th is rejected by the service (no reference id), every 50th is empty and rejected by cablectl.</summary>
    private (HashSet<string> Sources, HashSet<string> Rejected) WriteInputs()
    {
        var folder = Directory.CreateDirectory(Folder.File("inputs")).FullName;
        var sources = new HashSet<string>(StringComparer.Ordinal);
        var rejected = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Items; i++)
        {
            var path = Path.Combine(folder, $"{i:D5}.txt");
            var text = i % 50 == 0 ? "" : i % 10 == 0 ? $"GARBAGE {i}" : $"cable {i}";
            File.WriteAllText(path, text);
            sources.Add(path);
            if (text.Length == 0 || text.StartsWith("GARBAGE", StringComparison.Ordinal))
            {
                rejected.Add(path);
            }
        }

        return (sources, rejected);
    }

    /// <summary>The lines that end with a newline; a torn last line is what the next run cuts.</summary>
    private static List<string> CompleteLines(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        var text = Encoding.UTF8.GetString(File.ReadAllBytes(path));
        var lines = text.Split('\n');
        return [.. lines.Take(lines.Length - 1)];
    }

    private static string SourceOf(string line, string context)
    {
        try
        {
            using var record = JsonDocument.Parse(line);
            Assert.False(string.IsNullOrEmpty(record.RootElement.GetProperty("reason").GetString()), $"{context}: a record without its reason: {line}");
            return record.RootElement.GetProperty("source").GetString()!;
        }
        catch (JsonException ex)
        {
            throw new Xunit.Sdk.XunitException($"{context}: an unreadable record: {line} ({ex.Message})");
        }
    }

    private static void AssertOnce(IReadOnlyCollection<string> values, string context)
    {
        var twice = values.GroupBy(v => v, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(twice.Count == 0, $"{context}: listed twice: {string.Join(", ", twice.Take(5))} ({twice.Count} in all)");
    }
}
