namespace Cables.Cli.Tests.EndToEnd;

/// <summary>An ingest interrupted after some acknowledgements, then resumed with --resume: no duplicates, no loss.</summary>
public sealed class ResumeEndToEndTests(ServiceHost service) : FolderPerTest("cablectl-resume-"), IClassFixture<ServiceHost>
{
    [Fact]
    public async Task An_interrupted_run_resumed_with_its_state_file_stores_everything_once()
    {
        var csv = SharedFolder.Path("corpus", "formats", "cables.csv");
        var expected = Expected.For(csv);
        var state = Folder.File("state");

        // First run: stopped (as by Ctrl-C) after 100 acknowledgements.
        using (var cancel = new CancellationTokenSource())
        using (var resume = ResumeState.Open(state))
        using (var connection = service.Connect())
        {
            var listener = new CancelAfter(100, cancel);
            using var session = new IngestSession(connection.Client, new IngestOptions { Window = 32 }, resume, listener);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => session.RunAsync(CableSource.FromPaths([csv]).Read(), cancel.Token));
        }

        var acknowledged = File.ReadAllLines(state);
        Assert.InRange(acknowledged.Length, 100, expected.Items - 1);
        // Items in flight when the run stopped may be committed without their answer reaching the client.
        Assert.InRange(await service.ScalarAsync("SELECT count(*) FROM cables"), acknowledged.Length, acknowledged.Length + 32);

        // Second run, through the command: skips what the first had acknowledged, sends the rest.
        var (exitCode, output, error) = await service.RunAsync("ingest", csv, "--resume", state, "--rejects", Folder.File("rejects.jsonl"));

        Assert.True(exitCode == 0, error + output);
        Assert.Contains($"resuming: {acknowledged.Length} items acknowledged earlier", output);
        var counts = Expected.Summary(output);
        Assert.Equal(acknowledged.Length, counts["skipped"]);
        Assert.Equal(expected.Items - acknowledged.Length, counts["total"]);
        Assert.Equal(0, counts["revised"]);
        Assert.Equal(expected.ReferenceIds.Count, await service.ScalarAsync("SELECT count(*) FROM cables"));
        Assert.Equal(0, await service.ScalarAsync("SELECT count(*) FROM cable_revisions"));
        Assert.Equal(expected.Items, File.ReadAllLines(state).Distinct().Count());
    }

    private sealed class CancelAfter(int count, CancellationTokenSource cancel) : IIngestListener
    {
        private int _acknowledged;

        public void Acknowledged(V1.IngestCableResponse response)
        {
            if (Interlocked.Increment(ref _acknowledged) == count)
            {
                cancel.Cancel();
            }
        }

        public void Reconnecting(Exception error, int attempt, TimeSpan delay)
        {
        }
    }
}
