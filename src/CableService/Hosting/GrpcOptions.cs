namespace CableService.Hosting;

/// <summary>gRPC message limits (configuration section <c>Cables:Grpc</c>).</summary>
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
}
