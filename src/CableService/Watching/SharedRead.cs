namespace CableService.Watching;

/// <summary>
/// A read that concurrent callers share: each gets the value of a read that started after it called, so the value is
/// as fresh as its own would be. A burst of watchers (every client of a restarted replica reconnecting) then runs one
/// query at a time instead of taking a pooled connection each; connections opened for a burst stay in the pool, and
/// ingest batches then rotate over them, on new backends that build their caches first.
/// </summary>
internal sealed class SharedRead<T>(Func<CancellationToken, Task<T>> read) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _started;
    private (long Number, T Value)? _last; // guarded by _gate

    public async Task<T> ReadAsync(CancellationToken ct)
    {
        // A read numbered above this started after the call: its increment comes after this load.
        var calledAfter = Interlocked.Read(ref _started);
        await _gate.WaitAsync(ct);
        try
        {
            if (_last is { } last && last.Number > calledAfter)
            {
                return last.Value;
            }

            var number = Interlocked.Increment(ref _started);
            var value = await read(ct);
            _last = (number, value);
            return value;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
