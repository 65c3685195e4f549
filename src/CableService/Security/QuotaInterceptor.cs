using System.Threading.RateLimiting;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;

namespace CableService.Security;

/// <summary>
/// Per-caller quotas with ASP.NET Core's rate limiters (System.Threading.RateLimiting), partitioned by the caller's
/// name: full-text calls per minute (streams open at once are <see cref="Errors.CallerStreamLimit"/>'s). An
/// interceptor, not the rate-limiting middleware, because whether a call is a full-text one is in its request message. A refused call is RESOURCE_EXHAUSTED with a
/// <c>RetryInfo</c>, so cablectl and other clients retry it later.
/// </summary>
public sealed class QuotaInterceptor : Interceptor, IDisposable
{
    private readonly PartitionedRateLimiter<string>? _fullText;

    public QuotaInterceptor(IOptions<QuotaOptions> options)
    {
        var quotas = options.Value;
        if (quotas.FullTextCallsPerMinute > 0)
        {
            _fullText = PartitionedRateLimiter.Create<string, string>(caller => RateLimitPartition.GetFixedWindowLimiter(
                caller, _ => new FixedWindowRateLimiterOptions { PermitLimit = quotas.FullTextCallsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        }
    }

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        using var fullText = Acquire(_fullText, IsFullText(request), context, "FULL_TEXT_QUOTA_EXCEEDED", "full-text calls per minute");
        return await continuation(request, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var fullText = Acquire(_fullText, IsFullText(request), context, "FULL_TEXT_QUOTA_EXCEEDED", "full-text calls per minute");
        await continuation(request, responseStream, context);
    }

    public void Dispose() => _fullText?.Dispose();

    private static bool IsFullText(object request) => request switch
    {
        Api.StreamCablesRequest r => !string.IsNullOrWhiteSpace(r.Filter?.Text),
        Api.ListCablesRequest r => !string.IsNullOrWhiteSpace(r.Filter?.Text),
        Api.CountCablesRequest r => !string.IsNullOrWhiteSpace(r.Filter?.Text),
        _ => false,
    };

    /// <summary>A lease of <paramref name="limiter"/> for the caller, or RESOURCE_EXHAUSTED; null when no limit applies.</summary>
    private static RateLimitLease? Acquire(PartitionedRateLimiter<string>? limiter, bool applies, ServerCallContext context, string reason, string what)
    {
        if (limiter is null || !applies)
        {
            return null;
        }

        var caller = AuthAudit.CallerOf(context.GetHttpContext().User);
        var lease = limiter.AttemptAcquire(caller);
        if (lease.IsAcquired)
        {
            return lease;
        }

        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        lease.Dispose();
        var info = new ErrorInfo { Reason = reason, Domain = Errors.RpcErrors.Domain };
        info.Metadata["caller"] = caller;
        throw new Google.Rpc.Status
        {
            Code = (int)Code.ResourceExhausted,
            Message = $"the caller's quota of {what} is used up; retry later",
            Details = { Any.Pack(info), Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(retryAfter) }) },
        }.ToRpcException();
    }
}
