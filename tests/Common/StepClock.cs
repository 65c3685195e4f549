namespace Cables.Testing;

/// <summary>
/// A clock whose timestamp moves one millisecond each time a thread reads it, counted per thread, whatever the machine's
/// load: a budget checked against it counts the checks its own parse made, even with other parses running beside it,
/// so a test of a time budget gives the same answer on every run.
/// </summary>
internal sealed class StepClock(Action<int>? onRead = null) : TimeProvider, IDisposable
{
    private readonly ThreadLocal<int> _reads = new();

    /// <summary>How many times this thread read the timestamp.</summary>
    public int Reads => _reads.Value;

    public override long TimestampFrequency => 1000;

    public override long GetTimestamp()
    {
        var reads = ++_reads.Value;
        onRead?.Invoke(reads);
        return reads;
    }

    public void Dispose() => _reads.Dispose();
}
