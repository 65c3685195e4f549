namespace Cables.Cli.Tests.EndToEnd;

/// <summary>cablectl ingest against the real service and PostgreSQL: telegrams, WikiLeaks pages, CSV rows, rejects.</summary>
public sealed class IngestEndToEndTests(ServiceHost service) : FolderPerTest("cablectl-e2e-"), IClassFixture<ServiceHost>
{
    [Fact]
    public async Task Telegrams_pages_and_csv_rows_are_stored_once_and_a_rerun_changes_nothing()
    {
        var telegrams = Directory.GetFiles(SharedFolder.Path("corpus", "cables"), "*.txt").Order(StringComparer.Ordinal).Take(300);
        string[] inputs = [.. telegrams, SharedFolder.Path("corpus", "formats", "html"), SharedFolder.Path("corpus", "formats", "cables.csv")];
        var expected = Expected.For(inputs);
        var rejects = Folder.File("rejects.jsonl");
        var stored = await service.ScalarAsync("SELECT count(*) FROM cables"); // other tests of this class share the database

        var first = await service.RunAsync(["ingest", .. inputs, "--rejects", rejects, "--allow-rejects"]);

        Assert.True(first.ExitCode == 0, first.Error);
        var counts = Expected.Summary(first.Output);
        Assert.Equal(expected.Items, counts["total"]);
        Assert.Equal(expected.Accepted, counts["created"] + counts["unchanged"] + counts["revised"]);
        Assert.Equal(expected.ReferenceIds.Count, counts["created"]);
        Assert.Equal(expected.RejectedSources.Count, counts["rejected"]);
        Assert.Equal(stored + expected.ReferenceIds.Count, await service.ScalarAsync("SELECT count(*) FROM cables"));
        var rejected = File.ReadAllLines(rejects).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(expected.RejectedSources.Order(StringComparer.Ordinal), rejected.Select(r => r.Text("source")).Order(StringComparer.Ordinal));
        Assert.All(rejected, r => Assert.Contains(r.Text("reason"), new[] { "NO_REFERENCE_ID", "NO_DATE" }));

        var second = await service.RunAsync(["ingest", .. inputs, "--rejects", rejects]);

        Assert.Equal(expected.RejectedSources.Count > 0 ? IngestCommand.ExitRejected : 0, second.ExitCode);
        var again = Expected.Summary(second.Output);
        Assert.Equal(0, again["created"]);
        Assert.Equal(0, again["revised"]);
        Assert.Equal(expected.Accepted, again["unchanged"]);
        Assert.Equal(stored + expected.ReferenceIds.Count, await service.ScalarAsync("SELECT count(*) FROM cables"));
    }

    [Fact]
    public async Task Garbage_and_oversized_inputs_go_to_the_rejects_file_and_the_exit_code()
    {
        var garbage = Folder.Write("garbage.txt", "this is not a cable at all\n\njust some words\n");
        var oversized = Folder.Write("oversized.txt", File.ReadAllText(SharedFolder.Path("corpus", "seed", "08BRUSSELS1390.txt")) + new string('x', 1_200_000));
        var huge = Folder.Write("huge.txt", new string('y', 5_000_000));
        var seed = SharedFolder.Path("corpus", "seed", "08BRUSSELS1390.txt");
        var rejects = Folder.File("rejects.jsonl");

        var (exitCode, output, _) = await service.RunAsync("ingest", Folder.Path, seed, "--rejects", rejects);

        Assert.Equal(IngestCommand.ExitRejected, exitCode);
        var counts = Expected.Summary(output);
        Assert.Equal(3, counts["rejected"]);
        Assert.Equal(1, counts["created"] + counts["unchanged"]);
        var reasons = File.ReadAllLines(rejects)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(r => r.Text("source")!, r => (Reason: r.Text("reason"), Details: r.Text("details")));
        Assert.Equal(3, reasons.Count);
        Assert.Equal("NO_REFERENCE_ID", reasons[garbage].Reason);
        Assert.Equal("CABLE_TOO_LARGE", reasons[oversized].Reason); // by the service: over its 1 MiB limit
        Assert.Contains("limit", reasons[oversized].Details);
        Assert.Equal("CABLE_TOO_LARGE", reasons[huge].Reason); // here: over the gRPC message limit, never sent
        Assert.Contains("this client sends at most", reasons[huge].Details);

        var allowed = await service.RunAsync("ingest", garbage, "--rejects", rejects, "--allow-rejects");
        Assert.Equal(0, allowed.ExitCode);
        Assert.Single(File.ReadAllLines(rejects)); // a new run starts a new rejects file
    }

    [Fact]
    public async Task A_dry_run_reports_what_the_service_would_accept_without_one()
    {
        var inputs = new[] { SharedFolder.Path("corpus", "formats", "html"), Folder.Write("garbage.txt", "not a cable") };
        var expected = Expected.For(inputs);

        var (exitCode, output, _) = await CommandRunner.RunAsync(["ingest", "--dry-run", .. inputs, "--server", "http://127.0.0.1:1"]);

        Assert.Equal(IngestCommand.ExitRejected, exitCode);
        Assert.Contains($"dry run: {expected.Items} items; {expected.Accepted} would be ingested ({expected.ReferenceIds.Count} distinct reference ids)", output);
        Assert.Contains("without reference id (the service rejects them): 1", output);
        Assert.Contains("garbage.txt: no reference id", output);
    }
}
