using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Cables.Cli.Output;

/// <summary>Runs a CPU-bound projection over a sequence on the thread pool and yields the results in input order.</summary>
public static class OrderedParallel
{
    /// <summary>
    /// At most <paramref name="maxInFlight"/> items are being projected or waiting to be consumed, so memory
    /// stays bounded however long the input; the source is enumerated on one background task.
    /// </summary>
    public static async IAsyncEnumerable<TResult> SelectOrderedAsync<TSource, TResult>(
        this IEnumerable<TSource> source,
        Func<TSource, TResult> selector,
        int maxInFlight,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInFlight, 1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var work = Channel.CreateBounded<Task<TResult>>(new BoundedChannelOptions(maxInFlight) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(
            async () =>
            {
                try
                {
                    foreach (var item in source)
                    {
                        await work.Writer.WaitToWriteAsync(stop.Token); // wait for room before starting more work
                        var task = Task.Run(() => selector(item), stop.Token);
                        await work.Writer.WriteAsync(task, stop.Token);
                    }

                    work.Writer.Complete();
                }
                catch (Exception ex)
                {
                    work.Writer.Complete(ex);
                }
            },
            CancellationToken.None);

        try
        {
            await foreach (var task in work.Reader.ReadAllAsync(stop.Token))
            {
                // A projection cannot be cancelled (a parse of a large input runs to its end): stop waiting for it instead.
                yield return await task.WaitAsync(cancellationToken);
            }
        }
        finally
        {
            await stop.CancelAsync(); // the consumer stopped early or failed: release the producer

            // Once cancelled, the producer may be inside the source (reading a large file) or a projection: it ends at
            // its next wait, and the caller, stopping, does not wait for that.
            if (!cancellationToken.IsCancellationRequested)
            {
                await producer;
            }
        }
    }
}
