using System.Threading.RateLimiting;
using CableService.Grpc;
using CableService.Hosting;
using CableService.Security;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace CableService.Errors;

/// <summary>
/// At most <see cref="GrpcOptions.MaxStreamsPerCaller"/> streaming calls open at once per caller, one concurrency
/// limiter per caller: one caller cannot hold every stream, pipeline and buffer of the host. A caller is the
/// authenticated principal's subject when the call is authenticated (so callers behind one address each have their
/// own limit, and one caller over several connections or addresses has one), else the client address. One more is
/// RESOURCE_EXHAUSTED (CALLER_STREAM_LIMIT) with a <c>RetryInfo</c>.
/// </summary>
public sealed class CallerStreamLimit : StreamingInterceptor, IDisposable
{
    public const string Reason = "CALLER_STREAM_LIMIT";

    private readonly int _limit;
    private readonly PartitionedRateLimiter<string>? _streams;

    public CallerStreamLimit(IOptions<GrpcOptions> options)
    {
        _limit = options.Value.MaxStreamsPerCaller;
        if (_limit > 0)
        {
            _streams = PartitionedRateLimiter.Create<string, string>(caller => RateLimitPartition.GetConcurrencyLimiter(
                caller, _ => new ConcurrencyLimiterOptions { PermitLimit = _limit, QueueLimit = 0 }));
        }
    }

    /// <summary>
    /// The partition of a call: <c>sub:</c> and the subject for an authenticated caller, <c>addr:</c> and the client
    /// address for any other, null when neither is known (no limit applies).
    /// </summary>
    public static string? CallerOf(HttpContext http) =>
        http.User.Identity?.IsAuthenticated == true ? "sub:" + AuthAudit.CallerOf(http.User)
        : http.Connection.RemoteIpAddress is { } address ? "addr:" + address
        : null;

    public void Dispose() => _streams?.Dispose();

    protected override async Task AroundStream<TResponse>(
        object? request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        Func<IServerStreamWriter<TResponse>, Task> call)
    {
        using var lease = Acquire(context);
        await call(responseStream);
    }

    private RateLimitLease? Acquire(ServerCallContext context)
    {
        if (_streams is null || CallerOf(context.GetHttpContext()) is not { } caller)
        {
            return null;
        }

        var lease = _streams.AttemptAcquire(caller);
        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        throw RpcErrors.ResourceExhausted(Reason, $"this caller has {_limit} streams open, the most one caller may; close one or retry later", TimeSpan.FromSeconds(1));
    }
}
