namespace CableService.Ingest;

/// <summary>
/// Cancels <see cref="Token"/> once an ingest stream has been idle for the timeout: no message has arrived and no answer
/// is owed. While answers are owed the client may rightly wait for them (its window of unacknowledged items is full),
/// so a slow commit never counts against it; the clock restarts at every message and every answer.
/// </summary>
public sealed class StreamIdleWatch : IDisposable
{
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _clock;
    private readonly CancellationTokenSource _idle;
    private readonly ITimer _timer;
    private long _lastActivity;
    private long _owed;
    private bool _fellIdle;

    public StreamIdleWatch(TimeSpan timeout, TimeProvider clock, CancellationToken callCancelled)
    {
        _timeout = timeout;
        _clock = clock;
        _idle = CancellationTokenSource.CreateLinkedTokenSource(callCancelled);
        _lastActivity = clock.GetTimestamp();
        // Looked at four times a timeout: the stream ends between one and one and a quarter timeouts after it fell idle.
        var period = TimeSpan.FromTicks(Math.Max(timeout.Ticks / 4, TimeSpan.FromMilliseconds(10).Ticks));
        _timer = clock.CreateTimer(_ => Check(), null, period, period);
    }

    /// <summary>Cancelled when the stream fell idle, or when the call itself was cancelled.</summary>
    public CancellationToken Token => _idle.Token;

    /// <summary>Whether the stream ended for being idle (rather than cancelled by its caller).</summary>
    public bool FellIdle => Volatile.Read(ref _fellIdle);

    public void Received()
    {
        Interlocked.Increment(ref _owed);
        Volatile.Write(ref _lastActivity, _clock.GetTimestamp());
    }

    public void Answered(int count)
    {
        Interlocked.Add(ref _owed, -count);
        Volatile.Write(ref _lastActivity, _clock.GetTimestamp());
    }

    public void Dispose()
    {
        _timer.Dispose();
        _idle.Dispose();
    }

    private void Check()
    {
        if (Interlocked.Read(ref _owed) > 0 || _clock.GetElapsedTime(Volatile.Read(ref _lastActivity)) < _timeout || _idle.IsCancellationRequested)
        {
            return;
        }

        Volatile.Write(ref _fellIdle, true);
        try
        {
            _idle.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The stream ended as the check ran.
        }
    }
}
