namespace CableService.Hosting;

/// <summary>gRPC message limits and the limits at the edge (configuration section <c>Cables:Grpc</c>).</summary>
public sealed class GrpcOptions
{
    public const string Section = "Cables:Grpc";

    /// <summary>
    /// Largest request message, in bytes. A cable is at most <c>Cables:Ingest:MaxCableBytes</c> of text; the margin
    /// lets an oversized cable reach the service and be REJECTED per item rather than fail the transport.
    /// </summary>
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest response message, in bytes (a FULL page of cables).</summary>
    public int MaxSendMessageSize { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// <c>gzip</c> compresses responses for clients that accept it (cable text shrinks to about a third), at the cost
    /// of the service's CPU; empty sends them as they are.
    /// </summary>
    public string ResponseCompression { get; set; } = "";

    /// <summary>
    /// An IngestCables stream that sends no whole message for this long ends DEADLINE_EXCEEDED (STREAM_IDLE), after its
    /// items read so far are answered: a silent or half-sent stream holds a connection, buffers and a pipeline.
    /// </summary>
    public TimeSpan StreamIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>HTTP/2 PING sent on a connection quiet for this long, to find peers that are gone.</summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A connection whose PING is not answered within this is closed.</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Slowest a unary request body may arrive, in bytes a second, after <see cref="MinRequestBodyDataRateGracePeriod"/>:
    /// a client that announces a message and stops sending it is dropped. (Streams are held to <see cref="StreamIdleTimeout"/>.)
    /// </summary>
    public double MinRequestBodyDataRate { get; set; } = 240;

    /// <summary>How long a request body may be slower than <see cref="MinRequestBodyDataRate"/> before it is dropped.</summary>
    public TimeSpan MinRequestBodyDataRateGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Calls open at once on one HTTP/2 connection; a client opens another connection or waits for more.</summary>
    public int MaxStreamsPerConnection { get; set; } = 100;

    /// <summary>Open connections; one more is refused. With the two limits above and the message size, this bounds request buffers.</summary>
    public long MaxConnections { get; set; } = 1000;

    /// <summary>
    /// Streaming calls (IngestCables, StreamCables, WatchCables) open at once per caller: the authenticated subject, else
    /// the client address. One more is RESOURCE_EXHAUSTED (CALLER_STREAM_LIMIT). Zero removes the limit.
    /// </summary>
    public int MaxStreamsPerCaller { get; set; } = 64;

    /// <summary>
    /// Bytes of ingest request messages held and not yet processed, over every call: an IngestCables stream that finds
    /// no room waits (reads no further message), an IngestCable call that finds none within a second is
    /// RESOURCE_EXHAUSTED (REQUEST_BUFFER_BUDGET). At least <see cref="MaxReceiveMessageSize"/>; zero removes the budget.
    /// </summary>
    public int RequestBufferBudget { get; set; } = 256 * 1024 * 1024;
}
