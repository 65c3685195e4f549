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
    /// A reader pumps requests into a bounded channel (so the client is pushed back once it is full) while this
    /// loop takes batches from it, commits them and writes their responses: reading never waits for a commit.
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
        var reading = PumpAsync(requestStream, items.Writer, stop.Token);
        try
        {
            await foreach (var batch in items.Reader.ReadBatchesAsync(_ingest.MaxBatchSize, _ingest.BatchWindow, stop.Token))
            {
                foreach (var response in await processor.ProcessAsync(batch, stop.Token))
                {
                    await responseStream.WriteAsync(response, stop.Token);
                }
            }
        }
        finally
        {
            // Whatever ended the loop also ends the reader; its own failure already surfaced through the channel.
            await stop.CancelAsync();
            await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            metrics.StreamClosed();
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
