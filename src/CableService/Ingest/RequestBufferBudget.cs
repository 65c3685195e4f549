using System.Threading.RateLimiting;
using CableService.Errors;
using CableService.Hosting;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace CableService.Ingest;

/// <summary>
/// The bytes of ingest request messages held and not yet processed, over every call of the host, bounded by
/// <see cref="GrpcOptions.RequestBufferBudget"/>: an item holds its encoded size from when it is read until its batch is
/// committed (or rejected) and answered. Reservations are served oldest first, so a large item is never passed over
/// for ever by small ones. A message is at most <see cref="GrpcOptions.MaxReceiveMessageSize"/>, which validation keeps
/// within the budget, so every reservation can be met once the others are released.
/// </summary>
public sealed class RequestBufferBudget : IDisposable
{
    public const string Exhausted = "REQUEST_BUFFER_BUDGET";

    /// <summary>How long a unary call waits for room before it is refused: the client, not the service, should hold a message it cannot place.</summary>
    public static readonly TimeSpan UnaryWait = TimeSpan.FromSeconds(1);

    private readonly ConcurrencyLimiter? _bytes;
    private long _waits;

    public RequestBufferBudget(IOptions<GrpcOptions> options)
    {
        Limit = options.Value.RequestBufferBudget;
        if (Limit > 0)
        {
            // Every reader may wait: the queue bounds the bytes waiting, which at most every open stream and unary call adds to.
            _bytes = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = Limit,
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
        }
    }

    /// <summary>The budget in bytes; 0 when there is none.</summary>
    public int Limit { get; }

    /// <summary>Bytes reserved now.</summary>
    public long Held => _bytes?.GetStatistics() is { } statistics ? Limit - statistics.CurrentAvailablePermits : 0;

    /// <summary>Reservations that had to wait for room, since start.</summary>
    public long Waits => Interlocked.Read(ref _waits);

    /// <summary>
    /// Reserves <paramref name="bytes"/>, waiting as long as it takes (an ingest stream that waits reads no further
    /// message: back-pressure to its client). Null when there is no budget; dispose the lease to release them.
    /// </summary>
    public async ValueTask<RateLimitLease?> ReserveAsync(int bytes, CancellationToken cancellationToken)
    {
        if (_bytes is null)
        {
            return null;
        }

        var permits = Math.Clamp(bytes, 1, Limit);
        var lease = _bytes.AttemptAcquire(permits);
        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        Interlocked.Increment(ref _waits);
        lease = await _bytes.AcquireAsync(permits, cancellationToken);
        return lease.IsAcquired ? lease : throw Refusal(bytes);
    }

    /// <summary>
    /// Reserves <paramref name="bytes"/> for a unary call, waiting at most <see cref="UnaryWait"/>, else
    /// RESOURCE_EXHAUSTED (REQUEST_BUFFER_BUDGET) with a <c>RetryInfo</c>.
    /// </summary>
    public async ValueTask<RateLimitLease?> ReserveOrRefuseAsync(int bytes, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(UnaryWait);
        try
        {
            return await ReserveAsync(bytes, wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Refusal(bytes);
        }
    }

    public void Dispose() => _bytes?.Dispose();

    private RpcException Refusal(int bytes) => RpcErrors.ResourceExhausted(
        Exhausted, $"the service holds its budget of {Limit} bytes of requests not yet processed; this {bytes}-byte message does not fit now, retry later", TimeSpan.FromSeconds(1));
}
