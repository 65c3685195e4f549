using Google.Rpc;
using Grpc.Core;

namespace Cables.Cli.Ingestion;

/// <summary>What a broken <c>IngestCables</c> stream says about the items that were on it.</summary>
public enum FailureKind
{
    /// <summary>The connection or the service's state: reconnect after a backoff and resend every unanswered item.</summary>
    Transient,

    /// <summary>The service failed on something it was sent: find the item by resending one at a time, and quarantine it.</summary>
    Item,

    /// <summary>The call itself is refused: resending anything cannot cure it, the run ends.</summary>
    Fatal,
}

/// <summary>
/// The one rule for how <see cref="IngestSession"/> treats a failed stream. Items are idempotent on the service, so
/// resending is always safe; the rule decides whether it can help, and whom to blame.
/// <list type="bullet">
/// <item>Transient: <c>Unavailable</c>, <c>Aborted</c>, <c>Cancelled</c> (by the service: it is stopping),
/// <c>DeadlineExceeded</c> (cablectl sets no deadline on the stream: a proxy or the service cut a long call, whether or
/// not it had answered anything), <c>ResourceExhausted</c> carrying <c>RetryInfo</c> (waited as asked), transport
/// errors, a stream that ended early, and no answer for <see cref="IngestOptions.AcknowledgementTimeout"/>.</item>
/// <item>Item: <c>Internal</c>, <c>Unknown</c> (the service's handler threw), <c>DataLoss</c>, <c>InvalidArgument</c>,
/// <c>OutOfRange</c>, and <c>ResourceExhausted</c> without <c>RetryInfo</c> (a message over the service's limit).</item>
/// <item>Fatal: every other status (<c>PermissionDenied</c>, <c>Unauthenticated</c>, <c>Unimplemented</c>,
/// <c>NotFound</c>, <c>FailedPrecondition</c>, …) and any other exception.</item>
/// </list>
/// </summary>
public static class IngestFailures
{
    public static FailureKind Classify(Exception error) => error switch
    {
        RpcException rpc => rpc.StatusCode switch
        {
            StatusCode.Unavailable or StatusCode.Aborted or StatusCode.Cancelled or StatusCode.DeadlineExceeded => FailureKind.Transient,
            StatusCode.ResourceExhausted when RetryDelay(rpc) is not null => FailureKind.Transient,
            StatusCode.Internal or StatusCode.Unknown or StatusCode.DataLoss or StatusCode.InvalidArgument
                or StatusCode.OutOfRange or StatusCode.ResourceExhausted => FailureKind.Item,
            _ => FailureKind.Fatal,
        },
        StreamEndedException or TimeoutException or IOException or HttpRequestException or OperationCanceledException => FailureKind.Transient,
        InvalidOperationException => FailureKind.Transient, // writing to a call that has already ended: its status comes from the reader
        _ => FailureKind.Fatal,
    };

    /// <summary>The wait the service asked for in a <c>google.rpc.RetryInfo</c> detail, if any.</summary>
    public static TimeSpan? RetryDelay(Exception error) =>
        error is RpcException rpc && rpc.GetRpcStatus()?.GetDetail<RetryInfo>() is { RetryDelay: { } delay } ? delay.ToTimeSpan() : null;
}
