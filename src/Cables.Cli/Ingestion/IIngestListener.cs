namespace Cables.Cli.Ingestion;

/// <summary>What a session tells its caller besides the counters: final answers per item, and trouble with the connection.</summary>
public interface IIngestListener
{
    /// <summary>
    /// An item's final outcome, before the resume state records it (a rejection must be kept before the next run
    /// skips the item). Called from the response reader, and from the writer for items rejected before sending, with
    /// a reason of this tool's own (UNREADABLE_INPUT, CABLE_TOO_LARGE): the two may call at the same time.
    /// </summary>
    void Acknowledged(V1.IngestCableResponse response);

    /// <summary>The stream broke; the session waits <paramref name="delay"/>, reconnects and resends what was unacknowledged.</summary>
    void Reconnecting(Exception error, int attempt, TimeSpan delay);
}
