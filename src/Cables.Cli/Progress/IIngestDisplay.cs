namespace Cables.Cli.Progress;

/// <summary>Shows an ingest while it runs; the session does not know which display, if any, watches it.</summary>
public interface IIngestDisplay
{
    /// <summary>Refreshes until <paramref name="run"/> completes, then shows the final state once more.</summary>
    Task ShowAsync(Func<IngestSnapshot> snapshot, Task run);

    /// <summary>A connection problem worth telling (reconnecting, backing off).</summary>
    void Notice(string message);
}
