using System.Threading.RateLimiting;
using CableService.Errors;
using Microsoft.Extensions.Options;

namespace CableService.Database;

/// <summary>
/// Admission to the database: reads and ingest commits wait in separate bounded queues, so that a flood of reads cannot
/// starve ingest of connections or the other way round. A call that finds its queue full is refused at once,
/// RESOURCE_EXHAUSTED with <c>RetryInfo</c>, rather than wait on the pool and time out.
/// </summary>
public sealed class DatabaseAdmission(IOptions<DatabaseOptions> options) : IDisposable
{
    public const string ReadQueueFull = "READ_QUEUE_FULL";
    public const string CommitQueueFull = "COMMIT_QUEUE_FULL";

    private readonly DatabaseOptions _options = options.Value;
    private readonly ConcurrencyLimiter _reads = Limiter(options.Value.MaxConcurrentReads, options.Value.ReadQueueLimit);
    private readonly ConcurrencyLimiter _commits = Limiter(options.Value.MaxConcurrentCommits, options.Value.CommitQueueLimit);

    /// <summary>A turn for one read call, held until disposed; throws RESOURCE_EXHAUSTED when the read queue is full.</summary>
    public ValueTask<RateLimitLease> EnterReadAsync(CancellationToken cancellationToken) =>
        EnterAsync(_reads, ReadQueueFull, "reads", cancellationToken);

    /// <summary>A turn for one batch's commit, held until disposed; throws RESOURCE_EXHAUSTED when the commit queue is full.</summary>
    public ValueTask<RateLimitLease> EnterCommitAsync(CancellationToken cancellationToken) =>
        EnterAsync(_commits, CommitQueueFull, "ingest commits", cancellationToken);

    public void Dispose()
    {
        _reads.Dispose();
        _commits.Dispose();
    }

    private async ValueTask<RateLimitLease> EnterAsync(ConcurrencyLimiter limiter, string reason, string what, CancellationToken cancellationToken)
    {
        var lease = limiter.AttemptAcquire();
        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        lease = await limiter.AcquireAsync(1, cancellationToken);
        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        throw RpcErrors.ResourceExhausted(reason, $"the service is at its limit of {what} waiting for the database; retry later", _options.RetryAfter);
    }

    private static ConcurrencyLimiter Limiter(int permits, int queue) => new(new ConcurrencyLimiterOptions
    {
        PermitLimit = permits,
        QueueLimit = queue,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });
}
