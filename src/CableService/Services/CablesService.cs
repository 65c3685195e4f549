using System.Threading.Channels;
using CableService.Errors;
using CableService.Ingest;
using CableService.Mapping;
using CableService.Paging;
using Cables.Parsing.Fields;
using Cables.Storage;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Api = Cables.Api.V1;

namespace CableService.Services;

/// <summary>The <c>cables.v1.Cables</c> service: ingest over unary and bidirectional calls, reads over unary and server-streaming calls.</summary>
public sealed class CablesService(CableStore store, IngestProcessor processor, IngestMetrics metrics, IOptions<IngestOptions> options)
    : Api.Cables.CablesBase
{
    private readonly IngestOptions _ingest = options.Value;

    public override async Task<Api.IngestCableResponse> IngestCable(Api.IngestCableRequest request, ServerCallContext context)
    {
        metrics.Received();
        return (await processor.ProcessAsync([request], context.CancellationToken))[0];
    }

    /// <summary>
    /// Three stages joined by bounded channels: a reader pumps requests into a channel (so the client is pushed
    /// back once it is full); this loop takes batches from it and parses them; a committer stores each parsed batch
    /// and writes its responses. So reading never waits for a commit, and the next batch is parsed while the
    /// previous one commits; commits stay in order, one at a time.
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
        var reading = PumpAsync(requestStream, items.Writer, stop.Token);
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
            await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await committing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            metrics.StreamClosed();
        }
    }

    private async Task CommitAllAsync(
        ChannelReader<PreparedBatch> batches, IServerStreamWriter<Api.IngestCableResponse> responseStream, CancellationTokenSource stop)
    {
        try
        {
            await foreach (var batch in batches.ReadAllAsync(stop.Token))
            {
                foreach (var response in await processor.CommitAsync(batch, stop.Token))
                {
                    await responseStream.WriteAsync(response, stop.Token);
                }
            }
        }
        catch
        {
            await stop.CancelAsync();
            throw;
        }
    }

    private async Task PumpAsync(
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
        return CableMapper.ToApi(cable, full);
    }

    public override async Task StreamCables(
        Api.StreamCablesRequest request, IServerStreamWriter<Api.StreamCablesResponse> responseStream, ServerCallContext context)
    {
        var (query, fingerprint) = QueryMapper.FromStream(request);
        await foreach (var cable in store.StreamAsync(query, context.CancellationToken))
        {
            await responseStream.WriteAsync(new Api.StreamCablesResponse
            {
                Cable = CableMapper.ToApi(cable, query.Full),
                ResumeToken = TokenAfter(cable, fingerprint),
            }, context.CancellationToken);
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

            response.Cables.Add(CableMapper.ToApi(cable, query.Full));
            last = cable;
        }

        return response;
    }

    private static string TokenAfter(StoredCable cable, UInt128 fingerprint) =>
        new ResumeToken(new CableCursor(cable.Cable.Created!.Value, cable.Cable.ReferenceId!), fingerprint).Encode();
}
