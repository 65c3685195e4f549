namespace Cables.Cli.Tests.Chaos;

/// <summary>Runs a fault once, in the background, when the <paramref name="count"/>-th item is acknowledged.</summary>
internal sealed class FaultAfter(int count, Func<Task> fault) : IIngestListener
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _acknowledged;

    /// <summary>Completes once the fault has run (and its recovery with it).</summary>
    public Task Done => _done.Task;

    public void Acknowledged(V1.IngestCableResponse response)
    {
        if (Interlocked.Increment(ref _acknowledged) == count)
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await fault();
                    _done.SetResult();
                }
                catch (Exception ex)
                {
                    _done.SetException(ex);
                }
            });
        }
    }

    public void Reconnecting(Exception error, int attempt, TimeSpan delay)
    {
    }
}
