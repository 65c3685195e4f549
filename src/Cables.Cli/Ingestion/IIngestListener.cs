using V1 = Cables.Api.V1;

namespace Cables.Cli.Ingestion;

/// <summary>What a session tells its caller besides the counters: final answers per item, and trouble with the connection.</summary>
public interface IIngestListener
{
    /// <summary>
    /// An item's final outcome; called from the response reader, one call at a time. Items rejected before
    /// sending come here too, with a reason of this tool's own (UNREADABLE_INPUT, CABLE_TOO_LARGE).
    /// </summary>
    void Acknowledged(V1.IngestCableResponse response);

    /// <summary>The stream broke; the session waits <paramref name="delay"/>, reconnects and resends what was unacknowledged.</summary>
    void Reconnecting(Exception error, int attempt, TimeSpan delay);
}
