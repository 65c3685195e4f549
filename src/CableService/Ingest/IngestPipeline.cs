using System.Threading.Channels;
using System.Threading.RateLimiting;
using CableService.Errors;
using CableService.Hosting;
using CableService.Operations;
using Cables.Storage;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace CableService.Ingest;

/// <summary>
/// The ingest of one request stream, in three stages joined by bounded channels: a reader pumps requests into a
/// channel (so the client is pushed back once it is full); batches are taken from it and parsed; committers store
/// parsed batches, up to <see cref="IngestOptions.CommitConcurrency"/> at once on their own connections, and write
/// each batch's answers as soon as it commits (the API allows them out of request order). Reading never waits for a
/// commit, parsing overlaps the commits, and PostgreSQL works in several backends. Every item read holds its bytes of
/// the <see cref="RequestBufferBudget"/> until its batch is answered; while the budget has no room the reader waits, so
/// the stream reads no further message (HTTP/2 flow control then holds its client back).
/// </summary>
public sealed class IngestPipeline(
    IngestProcessor processor, IngestMetrics metrics, RequestBufferBudget buffers, IOptions<IngestOptions> options, IOptions<GrpcOptions> edge,
    ShutdownSignal shutdown)
{
    public const string StreamIdle = "STREAM_IDLE";

    private static readonly WriteOptions s_buffered = new(WriteFlags.BufferHint);

    private readonly IngestOptions _options = options.Value;
    private readonly TimeSpan _idleTimeout = edge.Value.StreamIdleTimeout;

    /// <summary>
    /// Reads every request, answers each once its row is committed, and returns when all are answered. On shutdown it
    /// reads no more, answers what it read, then throws UNAVAILABLE. A failed commit ends the call with its error.
    /// </summary>
    public async Task RunAsync(
        IAsyncStreamReader<Api.IngestCableRequest> requests, IAsyncStreamWriter<Api.IngestCableResponse> responses, CableVisibility writer,
        CancellationToken callCancelled)
    {
        metrics.StreamOpened();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(callCancelled);
        var items = Channel.CreateBounded<HeldRequest>(
            new BoundedChannelOptions(_options.ReadAhead) { SingleReader = true, SingleWriter = true });
        var parsed = Channel.CreateBounded<HeldBatch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        // Disposed last, once reading and committing are over: releases what items never reached an answer.
        using var held = new StreamBuffers(buffers);
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(stop.Token, shutdown.Stopping);
        using var idle = new StreamIdleWatch(_idleTimeout, TimeProvider.System, stopReading.Token);
        var reading = PumpAsync(requests, items.Writer, idle, held);
        var committing = CommitAllAsync(parsed.Reader, responses, writer, idle, held, stop);
        try
        {
            try
            {
                await foreach (var batch in items.Reader.ReadBatchesAsync(_options.MaxBatchSize, _options.BatchWindow, stop.Token))
                {
                    var prepared = processor.Prepare(batch.ConvertAll(item => item.Request), stop.Token);
                    await parsed.Writer.WriteAsync(new HeldBatch(prepared, batch.ConvertAll(item => item.Bytes)), stop.Token);
                }
            }
            finally
            {
                parsed.Writer.TryComplete();
            }

            await committing;
            if (await reading is { } ended)
            {
                throw ended;
            }
        }
        catch (OperationCanceledException) when (!callCancelled.IsCancellationRequested)
        {
            // Only a failed commit stops the pipeline without the call being cancelled: report that failure.
            await committing;
            throw;
        }
        finally
        {
            await stop.CancelAsync();
            await ((Task)reading).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await committing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            metrics.StreamClosed();
        }
    }

    private async Task CommitAllAsync(
        ChannelReader<HeldBatch> batches, IAsyncStreamWriter<Api.IngestCableResponse> responses, CableVisibility writer, StreamIdleWatch idle,
        StreamBuffers held, CancellationTokenSource stop)
    {
        var concurrency = Math.Max(1, _options.CommitConcurrency);
        var inFlight = new List<(Task Commit, IReadOnlySet<string> Ids)>(concurrency);
        using var writing = new SemaphoreSlim(1, 1); // a stream writer takes one write at a time
        try
        {
            await foreach (var batch in batches.ReadAllAsync(stop.Token))
            {
                var ids = batch.Prepared.ReferenceIds();
                // A batch waits for any in-flight batch that holds one of its ids, so one id's versions land in input order.
                while (inFlight.Count >= concurrency || inFlight.Exists(f => f.Ids.Overlaps(ids)))
                {
                    await await Task.WhenAny(inFlight.Select(f => f.Commit));
                    inFlight.RemoveAll(f => f.Commit.IsCompletedSuccessfully);
                }

                inFlight.Add((CommitAndAnswerAsync(batch, responses, writer, writing, idle, held, stop.Token), ids));
            }

            await Task.WhenAll(inFlight.Select(f => f.Commit));
        }
        catch
        {
            await stop.CancelAsync();
            await Task.WhenAll(inFlight.Select(f => f.Commit)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }
    }

    private async Task CommitAndAnswerAsync(
        HeldBatch batch, IAsyncStreamWriter<Api.IngestCableResponse> responses, CableVisibility writer, SemaphoreSlim writing,
        StreamIdleWatch idle, StreamBuffers held, CancellationToken cancellationToken)
    {
        try
        {
            await AnswerAsync(await processor.CommitAsync(batch.Prepared, writer, cancellationToken), responses, writing, idle, cancellationToken);
        }
        finally
        {
            // Answered (or failed): the batch's requests are no longer needed.
            held.Release(batch.Bytes);
        }
    }

    private static async Task AnswerAsync(
        Api.IngestCableResponse[] answers, IAsyncStreamWriter<Api.IngestCableResponse> responses, SemaphoreSlim writing, StreamIdleWatch idle,
        CancellationToken cancellationToken)
    {
        await writing.WaitAsync(cancellationToken);
        try
        {
            // One flush per batch, not per answer.
            for (var i = 0; i < answers.Length; i++)
            {
                responses.WriteOptions = i == answers.Length - 1 ? null : s_buffered;
                await responses.WriteAsync(answers[i], cancellationToken);
            }

            idle.Answered(answers.Length);
        }
        finally
        {
            writing.Release();
        }
    }

    /// <summary>
    /// Copies the request stream into the channel. Returns null at the stream's end, or the status to end the call with
    /// once what was read is committed and answered: the host is stopping, or a request could not be read.
    /// </summary>
    private async Task<RpcException?> PumpAsync(
        IAsyncStreamReader<Api.IngestCableRequest> requests, ChannelWriter<HeldRequest> writer, StreamIdleWatch idle, StreamBuffers held)
    {
        var cancellationToken = idle.Token;
        try
        {
            while (await requests.MoveNext(cancellationToken))
            {
                idle.Received();
                metrics.Received();
                var request = requests.Current;
                // No further message is read until this one has room in the budget (the item is owed, so never idle).
                var bytes = await held.ReserveAsync(request.CalculateSize(), cancellationToken);
                await writer.WriteAsync(new HeldRequest(request, bytes), cancellationToken);
            }

            writer.Complete();
            return null;
        }
        catch (OperationCanceledException) when (shutdown.IsStopping)
        {
            // Read no more: the items already read are still committed and answered, then the call ends UNAVAILABLE.
            writer.Complete();
            return ShutdownSignal.IngestInterrupted();
        }
        catch (Exception e) when (idle.FellIdle && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled } or IOException)
        {
            // No whole message for the idle timeout (silent, or a message announced and never finished): the items read
            // are committed and answered, then the call ends DEADLINE_EXCEEDED.
            writer.Complete();
            return RpcErrors.DeadlineExceeded(
                StreamIdle, $"no whole request message for {_idleTimeout.TotalSeconds:0.###} s; the stream is closed (items read before are answered)");
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
        {
            // An unreadable message: the items before it are committed and answered, then the call ends with its status.
            writer.Complete();
            return e;
        }
        catch (Exception e)
        {
            writer.Complete(e);
            throw;
        }
    }

    /// <summary>A request read, and its reservation of the budget (null when there is none).</summary>
    private readonly record struct HeldRequest(Api.IngestCableRequest Request, RateLimitLease? Bytes);

    /// <summary>A parsed batch, and the reservations of its requests.</summary>
    private sealed record HeldBatch(PreparedBatch Prepared, IReadOnlyList<RateLimitLease?> Bytes);
}
