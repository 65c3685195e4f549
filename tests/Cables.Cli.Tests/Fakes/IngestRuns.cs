using Cables.Parsing.Model;

namespace Cables.Cli.Tests.Fakes;

/// <summary>Ingest sessions run against a <see cref="FakeCablesClient"/>, for the tests of the ingest engine.</summary>
internal static class IngestRuns
{
    /// <summary>Reconnect delays of milliseconds: reconnecting sessions finish while the test waits.</summary>
    public static IngestOptions Fast { get; } = new()
    {
        Window = 16,
        FirstReconnectDelay = TimeSpan.FromMilliseconds(5),
        MaxReconnectDelay = TimeSpan.FromMilliseconds(40),
        MaxReconnectWait = TimeSpan.FromSeconds(5),
    };

    /// <summary><paramref name="count"/> cables.csv rows, each with its own reference id.</summary>
    public static List<SourceItem> Items(int count) =>
        [.. Enumerable.Range(1, count).Select(i => SourceItem.Read($"cables.csv#{i}", new RawCable($"cable {i}", SourceFormat.CablesCsv, new SourceMetadata { ReferenceId = $"10TEST{i}" })))];

    /// <summary>Runs one session over <paramref name="items"/> to its end; a session that hangs fails the test after a minute.</summary>
    public static async Task<IngestRunResult> RunAsync(FakeCablesClient service, IEnumerable<SourceItem> items, IngestOptions options)
    {
        var listener = new RecordingListener();
        using var session = new IngestSession(service, options, null, listener);
        await session.RunAsync(items, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        return new IngestRunResult(session.Counters, listener);
    }
}

/// <summary>A finished session's counters and what its listener recorded.</summary>
internal sealed record IngestRunResult(IngestCounters Counters, RecordingListener Listener)
{
    public List<string> Acknowledged => Listener.Sources;

    public List<TimeSpan> Reconnects => Listener.Delays;
}
