using System.Threading.Channels;
using CableService.Errors;
using CableService.Ingest;
using CableService.Mapping;
using CableService.Operations;
using CableService.Paging;
using CableService.Telemetry;
using Cables.Api.V1.Wire;
using Cables.Parsing.Fields;
using Cables.Storage;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Api = Cables.Api.V1;

namespace CableService.Services;

/// <summary>
/// The <c>cables.v1.Cables</c> service: ingest over unary and bidirectional calls, reads over unary and server-streaming
/// calls. Bound by <see cref="EncodedCablesBinding"/>: streamed cables go out as the store keeps them encoded.
/// </summary>
[BindServiceMethod(typeof(EncodedCablesBinding), nameof(EncodedCablesBinding.BindService))]
public sealed class CablesService(
    CableStore store, IngestProcessor processor, IngestMetrics metrics, IOptions<IngestOptions> options, ShutdownSignal shutdown)
    : Api.Cables.CablesBase
{
    private static readonly WriteOptions s_buffered = new(WriteFlags.BufferHint);

    private readonly IngestOptions _ingest = options.Value;

    public override async Task<Api.IngestCableResponse> IngestCable(Api.IngestCableRequest request, ServerCallContext context)
    {
        metrics.Received();
        return (await processor.ProcessAsync([request], context.CancellationToken))[0];
    }

    /// <summary>
    /// Three stages joined by bounded channels: a reader pumps requests into a channel (so the client is pushed
    /// back once it is full); this loop takes batches from it and parses them; committers store parsed batches,
    /// up to <see cref="IngestOptions.CommitConcurrency"/> at once on their own connections, and write each batch's
    /// responses as soon as it commits (the API allows them out of request order). So reading never waits for a
    /// commit, parsing overlaps the commits, and PostgreSQL works in several backends.
    /// </summary>
    public override async Task IngestCables(
        IAsyncStreamReader<Api.IngestCableRequest> requestStream,
        IServerStreamWriter<Api.IngestCableResponse> responseStream,
        ServerCallContext context)
    {
        metrics.StreamOpened();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var items = Channel.CreateBounded<Api.IngestCableRequest>(
            new BoundedChannelOptions(_ingest.ReadAhead) { SingleReader = true, SingleWriter = true });
        var parsed = Channel.CreateBounded<PreparedBatch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        // Shutdown stops the reading only: what was read is still committed and answered, then the call ends UNAVAILABLE.
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(stop.Token, shutdown.Stopping);
        var reading = PumpAsync(requestStream, items.Writer, stopReading.Token);
        var committing = CommitAllAsync(parsed.Reader, responseStream, stop);
        try
        {
            try
            {
                await foreach (var batch in items.Reader.ReadBatchesAsync(_ingest.MaxBatchSize, _ingest.BatchWindow, stop.Token))
                {
                    await parsed.Writer.WriteAsync(processor.Prepare(batch), stop.Token);
                }
            }
            finally
            {
                parsed.Writer.TryComplete();
            }

            await committing;
            if (!await reading)
            {
                throw ShutdownSignal.IngestInterrupted();
            }
        }
        catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
        {
            // Only a failed commit stops the stream without the call being cancelled: report that failure.
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
        ChannelReader<PreparedBatch> batches, IServerStreamWriter<Api.IngestCableResponse> responseStream, CancellationTokenSource stop)
    {
        var concurrency = Math.Max(1, _ingest.CommitConcurrency);
        var inFlight = new List<(Task Commit, IReadOnlySet<string> Ids)>(concurrency);
        using var writing = new SemaphoreSlim(1, 1); // a stream writer takes one write at a time
        try
        {
            await foreach (var batch in batches.ReadAllAsync(stop.Token))
            {
                var ids = batch.ReferenceIds();
                // A batch waits for any in-flight batch that holds one of its ids, so one id's versions land in input order.
                while (inFlight.Count >= concurrency || inFlight.Exists(f => f.Ids.Overlaps(ids)))
                {
                    await await Task.WhenAny(inFlight.Select(f => f.Commit));
                    inFlight.RemoveAll(f => f.Commit.IsCompletedSuccessfully);
                }

                inFlight.Add((CommitAndAnswerAsync(batch, responseStream, writing, stop.Token), ids));
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
        PreparedBatch batch, IServerStreamWriter<Api.IngestCableResponse> responseStream, SemaphoreSlim writing, CancellationToken cancellationToken)
    {
        var responses = await processor.CommitAsync(batch, cancellationToken);
        await writing.WaitAsync(cancellationToken);
        try
        {
            // One flush per batch, not per answer.
            for (var i = 0; i < responses.Length; i++)
            {
                responseStream.WriteOptions = i == responses.Length - 1 ? null : s_buffered;
                await responseStream.WriteAsync(responses[i], cancellationToken);
            }
        }
        finally
        {
            writing.Release();
        }
    }

    /// <summary>Copies the request stream into the channel; false when it stopped early because the host is stopping.</summary>
    private async Task<bool> PumpAsync(
        IAsyncStreamReader<Api.IngestCableRequest> requests, ChannelWriter<Api.IngestCableRequest> writer, CancellationToken cancellationToken)
    {
        try
        {
            while (await requests.MoveNext(cancellationToken))
            {
                metrics.Received();
                await writer.WriteAsync(requests.Current, cancellationToken);
            }

            writer.Complete();
            return true;
        }
        catch (OperationCanceledException) when (shutdown.IsStopping)
        {
            // Read no more: the items already read are still committed and answered, then the call ends UNAVAILABLE.
            writer.Complete();
            return false;
        }
        catch (Exception e)
        {
            writer.Complete(e);
            throw;
        }
    }

    public override async Task<Api.Cable> GetCable(Api.GetCableRequest request, ServerCallContext context)
    {
        var id = request.ReferenceId.Trim();
        if (id.Length == 0)
        {
            throw RpcErrors.InvalidArgument("reference_id", "must not be empty");
        }

        if (!System.Enum.IsDefined(request.View))
        {
            throw RpcErrors.InvalidArgument("view", $"unknown view {(int)request.View}");
        }

        var canonical = ReferenceIds.Canonicalize(id);
        var full = request.View == Api.CableView.Full;
        var cable = await store.GetAsync(canonical, full, context.CancellationToken) ?? throw RpcErrors.NotFound(canonical);
        return StoredCableMessages.ToApi(cable, full);
    }

    public override async Task StreamCables(
        Api.StreamCablesRequest request, IServerStreamWriter<EncodedStreamCablesResponse> responseStream, ServerCallContext context)
    {
        var (query, fingerprint) = QueryMapper.FromStream(request);
        using var telemetry = new StreamTelemetry();
        // Shutdown stops the reading, never a write: the token handed back is always that of the last cable written.
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, shutdown.Stopping);
        var resumeToken = request.ResumeToken;
        try
        {
            var first = true;
            await foreach (var chunk in store.StreamMessageChunksAsync(query, reading.Token))
            {
                for (var i = 0; i < chunk.Count; i++)
                {
                    // Messages are buffered and sent once per chunk (a flush per message costs more than the message):
                    // the first cable goes out at once, the rest when their chunk is written, before the store is awaited again.
                    responseStream.WriteOptions = first || i == chunk.Count - 1 ? null : s_buffered;
                    first = false;
                    var cable = chunk[i];
                    var response = new EncodedStreamCablesResponse(cable.Message, TokenAfter(cable, fingerprint));
                    await responseStream.WriteAsync(response, context.CancellationToken);
                    resumeToken = response.ResumeToken;
                    telemetry.Sent();
                    if (shutdown.IsStopping)
                    {
                        // Buffered messages still go out before the status: the response is flushed when the call ends.
                        throw ShutdownSignal.StreamInterrupted(resumeToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (shutdown.IsStopping && !context.CancellationToken.IsCancellationRequested)
        {
            throw ShutdownSignal.StreamInterrupted(resumeToken);
        }
    }

    public override async Task<Api.CountCablesResponse> CountCables(Api.CountCablesRequest request, ServerCallContext context) =>
        new() { Count = await store.CountAsync(QueryMapper.FromCount(request), context.CancellationToken) };

    public override async Task<Api.ListCablesResponse> ListCables(Api.ListCablesRequest request, ServerCallContext context)
    {
        var (query, fingerprint) = QueryMapper.FromList(request, out var pageSize);
        var response = new Api.ListCablesResponse();
        StoredCable? last = null;
        await foreach (var cable in store.StreamAsync(query, context.CancellationToken))
        {
            if (response.Cables.Count == pageSize)
            {
                // The query asked for one more than a page: there is a next page, starting after the last one kept.
                response.NextPageToken = TokenAfter(last!, fingerprint);
                break;
            }

            response.Cables.Add(StoredCableMessages.ToApi(cable, query.Full));
            last = cable;
        }

        return response;
    }

    private static string TokenAfter(StoredCable cable, UInt128 fingerprint) =>
        new ResumeToken(new CableCursor(cable.Cable.Created!.Value, cable.Cable.ReferenceId!), fingerprint).Encode();

    private static string TokenAfter(EncodedCable cable, UInt128 fingerprint) =>
        new ResumeToken(new CableCursor(cable.Created, cable.ReferenceId), fingerprint).Encode();
}
