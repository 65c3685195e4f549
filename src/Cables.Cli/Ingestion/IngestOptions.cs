namespace Cables.Cli.Ingestion;

public sealed record IngestOptions
{
    /// <summary>
    /// Items sent and not yet acknowledged, at most: the service's pipeline depth, and what a reconnect resends.
    /// The service parses one 256-item batch while it commits two more: 2,048 keeps every stage fed.
    /// </summary>
    public int Window { get; init; } = 2048;

    /// <summary>
    /// Larger items are rejected here (CABLE_TOO_LARGE) instead of sent: a message above the service's
    /// gRPC receive limit (4 MB by default) fails the whole stream, not just the item.
    /// </summary>
    public int MaxItemBytes { get; init; } = 4 * 1024 * 1024 - 64 * 1024;

    /// <summary>
    /// Times the service may fail the stream (<see cref="FailureKind.Item"/>) with an item alone in flight before the
    /// item is quarantined: a failure can be the service's passing trouble, but one item failing it again is its bug.
    /// </summary>
    public int MaxResends { get; init; } = 3;

    /// <summary>Longest total wait, across reconnection attempts without progress, before giving up on the service.</summary>
    public TimeSpan MaxReconnectWait { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// With items in flight and no acknowledgement for this long, the connection is taken for dead and replaced:
    /// a server that vanished without closing its sockets (machine restart, network partition) sends no error.
    /// </summary>
    public TimeSpan AcknowledgementTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan FirstReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(10);
}
