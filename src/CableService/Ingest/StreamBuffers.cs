using System.Threading.RateLimiting;

namespace CableService.Ingest;

/// <summary>
/// What one ingest stream holds of the <see cref="RequestBufferBudget"/>: each item's reservation, released with its
/// batch, and on <see cref="Dispose"/> whatever the stream still holds (items read but never batched or committed
/// because the call ended), so a stream never keeps bytes after it ends.
/// </summary>
public sealed class StreamBuffers(RequestBufferBudget budget) : IDisposable
{
    private readonly HashSet<RateLimitLease> _held = [];

    /// <summary>Reserves an item's bytes, waiting for room as long as it takes; null when there is no budget.</summary>
    public async ValueTask<RateLimitLease?> ReserveAsync(int bytes, CancellationToken cancellationToken)
    {
        var lease = await budget.ReserveAsync(bytes, cancellationToken);
        if (lease is not null)
        {
            lock (_held)
            {
                _held.Add(lease);
            }
        }

        return lease;
    }

    /// <summary>Releases the reservations of a batch that is answered.</summary>
    public void Release(IEnumerable<RateLimitLease?> leases)
    {
        lock (_held)
        {
            foreach (var lease in leases)
            {
                if (lease is not null && _held.Remove(lease))
                {
                    lease.Dispose();
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_held)
        {
            foreach (var lease in _held)
            {
                lease.Dispose();
            }

            _held.Clear();
        }
    }
}
