using CableService.Database;
using CableService.Errors;
using CableService.Grpc;
using Cables.Api.V1.Server;
using CableService.Ingest;
using CableService.Mapping;
using CableService.Operations;
using CableService.Paging;
using CableService.Revisions;
using CableService.Security;
using CableService.Telemetry;
using CableService.Watching;
using Cables.Parsing.Fields;
using Cables.Storage;
using Google.Protobuf;
using Grpc.Core;

namespace CableService.Services;

/// <summary>
/// The <c>cables.v1.CableArchive</c> service: thin adapters from the RPCs to the ingest pipeline and the stores (reads
/// from the read data source, <see cref="ReadRouting"/>). Bound by
/// <see cref="EncodedCablesBinding"/>: streamed cables go out as the store encoded them.
/// </summary>
[BindServiceMethod(typeof(EncodedCablesBinding), nameof(EncodedCablesBinding.BindService))]
public sealed class CableArchiveService(
    CableStores stores, IngestProcessor processor, IngestPipeline pipeline, IngestMetrics metrics, ShutdownSignal shutdown, ResumeTokenKey tokenKey,
    CallerVisibility callers, CableRevisions revisions, CableWatch watch)
    : Api.CableArchive.CableArchiveBase
{
    private static readonly WriteOptions s_buffered = new(WriteFlags.BufferHint);

    public override async Task<Api.IngestCableResponse> IngestCable(Api.IngestCableRequest request, ServerCallContext context)
    {
        if (!System.Enum.IsDefined(request.Format))
        {
            throw RpcErrors.InvalidArgument("format", $"unknown source format {(int)request.Format}");
        }

        metrics.Received();
        return (await processor.ProcessAsync([request], callers.Of(context), context.CancellationToken))[0];
    }

    public override Task IngestCables(
        IAsyncStreamReader<Api.IngestCableRequest> requestStream, IServerStreamWriter<Api.IngestCableResponse> responseStream, ServerCallContext context) =>
        pipeline.RunAsync(requestStream, responseStream, callers.Of(context), context.CancellationToken);

    public override async Task<Api.Cable> GetCable(Api.GetCableRequest request, ServerCallContext context)
    {
        var id = request.ReferenceId.Trim();
        if (!QueryMapper.IsReferenceId(id))
        {
            throw RpcErrors.InvalidArgument("reference_id", QueryMapper.ReferenceIdRule);
        }

        if (!System.Enum.IsDefined(request.View))
        {
            throw RpcErrors.InvalidArgument("view", $"unknown view {(int)request.View}");
        }

        var violations = new List<Google.Rpc.BadRequest.Types.FieldViolation>();
        var texts = ReadMasks.TextsFor(request.View, request.ReadMask, violations);
        if (violations.Count > 0)
        {
            throw RpcErrors.InvalidArgument(violations);
        }

        var canonical = ReferenceIds.Canonicalize(id);
        // A cable the caller may not see is NOT_FOUND exactly as one that is not stored.
        var cable = request.HasRevision
            ? await CableRevisions.GetCableAsync(stores.For(context), canonical, request.Revision, texts, callers.Of(context), context.CancellationToken)
            : await stores.For(context).GetAsync(canonical, texts, callers.Of(context), context.CancellationToken) ?? throw RpcErrors.NotFound(canonical);
        return ReadMasks.Apply(request.ReadMask, cable);
    }

    public override Task<Api.ListCableRevisionsResponse> ListCableRevisions(Api.ListCableRevisionsRequest request, ServerCallContext context) =>
        revisions.ListAsync(stores.For(context), request, callers.Of(context), context.CancellationToken);

    public override Task<Api.DiffCableRevisionsResponse> DiffCableRevisions(Api.DiffCableRevisionsRequest request, ServerCallContext context) =>
        CableRevisions.DiffAsync(stores.For(context), request, callers.Of(context), context.CancellationToken);

    /// <summary><c>StreamCables</c>, as <see cref="EncodedCablesBinding"/> binds it.</summary>
    public override async Task StreamCables(
        Api.StreamCablesRequest request, IServerStreamWriter<EncodedStreamCablesResponse> responseStream, ServerCallContext context)
    {
        var (query, fingerprint) = QueryMapper.FromStream(request, tokenKey.Key);
        query = query with { Visibility = callers.Of(context) };
        using var telemetry = new StreamTelemetry();
        // Shutdown stops the reading, never a write: the token handed back is always that of the last cable written.
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, shutdown.Stopping);
        var resumeToken = request.ResumeToken;
        try
        {
            var first = true;
            await foreach (var chunk in stores.For(context).StreamChunksAsync(query, reading.Token))
            {
                for (var i = 0; i < chunk.Count; i++)
                {
                    // Buffered and flushed once per chunk (a flush per message costs more than the message); the first
                    // cable goes out at once.
                    responseStream.WriteOptions = first || i == chunk.Count - 1 ? null : s_buffered;
                    first = false;
                    resumeToken = TokenAfter(chunk[i], fingerprint);
                    var cable = ReadMasks.Apply(request.ReadMask, chunk[i].Message);
                    var response = new EncodedStreamCablesResponse { Cable = UnsafeByteOperations.UnsafeWrap(cable), ResumeToken = resumeToken };
                    await responseStream.WriteAsync(response, context.CancellationToken);
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
        new() { Count = await stores.For(context).CountAsync(QueryMapper.FromCount(request) with { Visibility = callers.Of(context) }, context.CancellationToken) };

    public override async Task<Api.ListCablesResponse> ListCables(Api.ListCablesRequest request, ServerCallContext context)
    {
        var (query, fingerprint) = QueryMapper.FromList(request, tokenKey.Key, out var pageSize);
        query = query with { Visibility = callers.Of(context) };
        var response = new Api.ListCablesResponse();
        EncodedCable? last = null;
        await foreach (var chunk in stores.For(context).StreamChunksAsync(query, context.CancellationToken))
        {
            foreach (var cable in chunk)
            {
                if (response.Cables.Count == pageSize)
                {
                    // The query asked for one more than a page: there is a next page, starting after the last one kept.
                    response.NextPageToken = TokenAfter(last!, fingerprint);
                    return response;
                }

                response.Cables.Add(ReadMasks.Apply(request.ReadMask, Api.Cable.Parser.ParseFrom(cable.Message)));
                last = cable;
            }
        }

        return response;
    }

    public override Task WatchCables(Api.WatchCablesRequest request, IServerStreamWriter<EncodedWatchCablesResponse> responseStream, ServerCallContext context) =>
        watch.RunAsync(request, responseStream, context);

    private string TokenAfter(EncodedCable cable, UInt128 fingerprint) =>
        new ResumeToken(new CableCursor(cable.Created, cable.ReferenceId), fingerprint).Encode(tokenKey.Key);
}
