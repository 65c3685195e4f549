using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace CableService.Errors;

/// <summary>Canonical gRPC errors carrying google.rpc.Status details (BadRequest, ErrorInfo).</summary>
public static class RpcErrors
{
    public const string Domain = "cables.v1";

    public static RpcException InvalidArgument(IReadOnlyList<BadRequest.Types.FieldViolation> violations)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(violations);
        var message = violations.Count == 1
            ? $"{violations[0].Field}: {violations[0].Description}"
            : $"{violations.Count} invalid fields: {string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}"))}";
        return new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = message,
            Details = { Any.Pack(badRequest), Any.Pack(Info("INVALID_ARGUMENT")) },
        }.ToRpcException();
    }

    public static RpcException InvalidArgument(string field, string description) =>
        InvalidArgument([Violation(field, description)]);

    public static RpcException NotFound(string referenceId) => new Google.Rpc.Status
    {
        Code = (int)Code.NotFound,
        Message = $"cable {referenceId} not found",
        Details = { Any.Pack(Info("CABLE_NOT_FOUND", ("reference_id", referenceId))) },
    }.ToRpcException();

    /// <summary>NOT_FOUND naming the version: the cable exists (up to <paramref name="latest"/>) but has no version <paramref name="revision"/>.</summary>
    public static RpcException RevisionNotFound(string referenceId, int revision, int latest) => new Google.Rpc.Status
    {
        Code = (int)Code.NotFound,
        Message = $"cable {referenceId} has no revision {revision}; its revisions are 1 to {latest}",
        Details =
        {
            Any.Pack(Info(
                "REVISION_NOT_FOUND",
                ("reference_id", referenceId),
                ("revision", revision.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("latest_revision", latest.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
        },
    }.ToRpcException();

    /// <summary>UNAVAILABLE: retryable; with <paramref name="retryAfter"/>, a <c>RetryInfo</c> says when.</summary>
    public static RpcException Unavailable(string reason, string message, TimeSpan? retryAfter = null)
    {
        var status = new Google.Rpc.Status { Code = (int)Code.Unavailable, Message = message, Details = { Any.Pack(Info(reason)) } };
        if (retryAfter is { } delay)
        {
            status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(delay) }));
        }

        return status.ToRpcException();
    }

    /// <summary>DEADLINE_EXCEEDED: the service's own time limit on a call ran out; <paramref name="reason"/> names which.</summary>
    public static RpcException DeadlineExceeded(string reason, string message) => new Google.Rpc.Status
    {
        Code = (int)Code.DeadlineExceeded,
        Message = message,
        Details = { Any.Pack(Info(reason)) },
    }.ToRpcException();

    /// <summary>FAILED_PRECONDITION: the request cannot be served in the system's present state; <paramref name="reason"/> says why.</summary>
    public static RpcException FailedPrecondition(string reason, string message) => new Google.Rpc.Status
    {
        Code = (int)Code.FailedPrecondition,
        Message = message,
        Details = { Any.Pack(Info(reason)) },
    }.ToRpcException();

    /// <summary>RESOURCE_EXHAUSTED: a limit of the service's is reached; <c>RetryInfo</c> says when to try again.</summary>
    public static RpcException ResourceExhausted(string reason, string message, TimeSpan retryAfter) => new Google.Rpc.Status
    {
        Code = (int)Code.ResourceExhausted,
        Message = message,
        Details = { Any.Pack(Info(reason)), Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(retryAfter) }) },
    }.ToRpcException();

    /// <summary>INTERNAL: a fault of the service's, logged where it happened; the caller learns nothing more of it.</summary>
    public static RpcException Internal() => new Google.Rpc.Status
    {
        Code = (int)Code.Internal,
        Message = "the service failed to handle the call; it has been logged",
        Details = { Any.Pack(Info("INTERNAL")) },
    }.ToRpcException();

    public static BadRequest.Types.FieldViolation Violation(string field, string description) =>
        new() { Field = field, Description = description };

    private static ErrorInfo Info(string reason, params (string Key, string Value)[] metadata)
    {
        var info = new ErrorInfo { Reason = reason, Domain = Domain };
        foreach (var (key, value) in metadata)
        {
            info.Metadata[key] = value;
        }

        return info;
    }
}
