using CableService.Errors;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace CableService.Operations;

/// <summary>
/// Tells long-running calls that the host is stopping (SIGTERM, a rolling update), so that they end on their own terms,
/// with what the client needs to carry on at another replica, before the shutdown timeout aborts them.
/// </summary>
public sealed class ShutdownSignal(IHostApplicationLifetime lifetime)
{
    public const string Reason = "SHUTTING_DOWN";

    /// <summary>Trailer holding the resume token of an interrupted StreamCables call, for clients that skip the status details.</summary>
    public const string ResumeTokenTrailer = "resume-token";

    /// <summary>Key of the resume token in the <see cref="ErrorInfo"/> metadata of an interrupted StreamCables call.</summary>
    public const string ResumeTokenKey = "resume_token";

    public CancellationToken Stopping => lifetime.ApplicationStopping;

    public bool IsStopping => lifetime.ApplicationStopping.IsCancellationRequested;

    /// <summary>
    /// How a StreamCables call ends when the host stops: UNAVAILABLE (retryable) with the resume token of the last cable
    /// sent, or the token the request came with when none was sent yet.
    /// </summary>
    public static RpcException StreamInterrupted(string resumeToken)
    {
        var info = new ErrorInfo { Reason = Reason, Domain = RpcErrors.Domain };
        info.Metadata[ResumeTokenKey] = resumeToken;
        var error = new Google.Rpc.Status
        {
            Code = (int)Code.Unavailable,
            Message = "the server is shutting down; call again with the resume token to continue after the last cable received",
            Details = { Any.Pack(info) },
        }.ToRpcException();
        error.Trailers.Add(ResumeTokenTrailer, resumeToken);
        return error;
    }

    /// <summary>How an IngestCables call ends when the host stops, once every item it read has been committed and answered.</summary>
    public static RpcException IngestInterrupted() => RpcErrors.Unavailable(
        Reason, "the server is shutting down; every item answered is committed, send the others again");
}
