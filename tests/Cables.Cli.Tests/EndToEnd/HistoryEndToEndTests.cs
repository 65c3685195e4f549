namespace Cables.Cli.Tests.EndToEnd;

/// <summary>history and diff against the real service, after the seed in its damaged rendering and then its clean one.</summary>
public sealed class HistoryEndToEndTests(ServiceHost service) : IClassFixture<ServiceHost>
{
    private static readonly string s_damaged = File.ReadAllText(SharedFolder.Path("corpus", "seed", "08BRUSSELS1390.txt"));
    private static readonly string s_clean = File.ReadAllText(RepositoryFolder.Path("tests", "Cables.Parsing.Tests", "Data", "08BRUSSELS1390.clean.txt"));

    private async Task IngestBothAsync()
    {
        using var connection = service.Connect();
        foreach (var (text, source) in new[] { (s_damaged, "seed/08BRUSSELS1390.txt"), (s_clean, "") })
        {
            var response = await connection.Client.IngestCableAsync(new V1.IngestCableRequest
            {
                RawText = text,
                Metadata = new V1.SourceMetadata { Source = source },
            });
            Assert.NotEqual(V1.IngestOutcome.Rejected, response.Outcome);
        }
    }

    [Fact]
    public async Task History_prints_one_row_a_version_newest_first_with_the_current_one_marked()
    {
        await IngestBothAsync();

        var (exitCode, output, error) = await service.RunAsync("history", "08brussels1390");

        Assert.True(exitCode == 0, error);
        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, rows.Length);
        Assert.StartsWith("REV    INGESTED (UTC)", rows[0], StringComparison.Ordinal);
        Assert.StartsWith("2*     ", rows[1], StringComparison.Ordinal);
        Assert.StartsWith("1      ", rows[2], StringComparison.Ordinal);
        Assert.Contains("telegram", rows[2], StringComparison.Ordinal);
        Assert.Contains("seed/08BRUSSELS1390.txt", rows[2], StringComparison.Ordinal);
        Assert.Contains("CONFIDENTIAL", rows[1], StringComparison.Ordinal);
        Assert.EndsWith("FM DE GUCHT ENCOUNTERS RESOLUTE FM LAVROV IN MOSCOW", rows[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_prints_a_plain_unified_diff_when_stdout_is_not_a_terminal()
    {
        await IngestBothAsync();

        var (exitCode, output, error) = await service.RunAsync("diff", "08BRUSSELS1390", "--from", "1", "--to", "2");

        Assert.True(exitCode == 0, error);
        Assert.DoesNotContain('\e', output);
        var lines = output.Split('\n');
        Assert.Equal("changed fields: none", lines[0]);
        Assert.Equal("--- 08BRUSSELS1390 revision 1", lines[1]);
        Assert.Equal("+++ 08BRUSSELS1390 revision 2", lines[2]);
        Assert.StartsWith("@@ -1,", lines[3], StringComparison.Ordinal);
        Assert.Contains("-TAGS: [PREL](#) [BE](#) [GG](#) [RU](#)", lines);
        Assert.Contains("+TAGS: PREL, BE, GG, RU", lines);
        Assert.Contains(lines, l => l.StartsWith("-13. (C) He spoke about Georgia", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("+¶3. (C) He spoke about Georgia", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_revision_the_cable_does_not_have_is_reported_and_fails_the_command()
    {
        await IngestBothAsync();

        var (exitCode, _, error) = await service.RunAsync("diff", "08BRUSSELS1390", "--to", "5");

        Assert.NotEqual(0, exitCode);
        Assert.True(error.Contains("no revision 5", StringComparison.Ordinal), error);
    }
}
