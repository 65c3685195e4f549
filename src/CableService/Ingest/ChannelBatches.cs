using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace CableService.Ingest;

/// <summary>Groups what a channel yields into batches: up to a size, or whatever arrived within a window after the first item.</summary>
public static class ChannelBatches
{
    public static async IAsyncEnumerable<List<T>> ReadBatchesAsync<T>(
        this ChannelReader<T> reader, int maxSize, TimeSpan window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            var batch = new List<T>(maxSize);
            using var windowEnd = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            windowEnd.CancelAfter(window);
            while (batch.Count < maxSize)
            {
                if (reader.TryRead(out var item))
                {
                    batch.Add(item);
                    continue;
                }

                try
                {
                    if (!await reader.WaitToReadAsync(windowEnd.Token))
                    {
                        break; // completed: hand over what we have
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    break; // window over
                }
            }

            if (batch.Count > 0)
            {
                yield return batch;
            }
        }
    }
}
