using System.Diagnostics;
using CableService.Errors;
using CableService.Mapping;
using CableService.Operations;
using CableService.Paging;
using CableService.Security;
using Cables.Api.V1.Server;
using Google.Protobuf;
using Cables.Storage;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace CableService.Watching;

/// <summary>
/// One WatchCables call: from its start position, every change of the log in order, matched by its
/// <see cref="WatchFilter"/>, each delivered once with the position after it. It takes the changes the
/// <see cref="ChangeFeed"/> matched for it from its mailbox, and reads the log itself in chunks while it is behind (a
/// position from long ago, or a client slower than the ingest), so a slow watcher costs a chunk of memory, never more,
/// and is never dropped.
/// </summary>
public sealed class CableWatch(
    ChangeFeed feed, CableStores stores, CallerVisibility callers, ResumeTokenKey tokenKey, ShutdownSignal shutdown, IOptions<WatchOptions> options)
{
    /// <summary>The ErrorInfo reason of a position older than the retention window.</summary>
    public const string PositionExpired = "POSITION_EXPIRED";

    private static readonly WriteOptions s_buffered = new(WriteFlags.BufferHint);

    private readonly WatchOptions _options = options.Value;
    private readonly CableStore _store = stores.Primary;

    public async Task RunAsync(Api.WatchCablesRequest request, IServerStreamWriter<EncodedWatchCablesResponse> responses, ServerCallContext context)
    {
        var filter = new WatchFilter(QueryMapper.FromWatch(request) with { Visibility = callers.Of(context) });
        var start = StartOf(request);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, shutdown.Stopping);
        var ct = watching.Token;
        var position = ChangePosition.Start;
        try
        {
            var now = await feed.NowAsync(ct); // also waits for the feed's first horizon, which reads below it need
            position = start ?? now;
            if (start is { } resumed && resumed < await feed.PrunedPositionAsync(ct))
            {
                throw Expired();
            }

            using var subscription = feed.Subscribe(filter, position);
            var sent = Stopwatch.StartNew();
            await responses.WriteAsync(Heartbeat(position), ct); // a position at once: a quiet watch can resume from it
            while (true)
            {
                var read = subscription.Take(position, _options.ReadChunkSize);
                var matched = read.Changes;
                var end = read.End;
                var waitForFeed = read.Advanced;
                if (read.Behind)
                {
                    var refreshed = feed.Refreshed;
                    var horizon = feed.Horizon;
                    var chunk = await _store.ReadChangesAsync(position, horizon, _options.ReadChunkSize, ct);
                    var cables = await _store.ReadChangedCablesAsync([.. chunk.Where(change => filter.MatchesFields(change.Fields))], ct);
                    matched = [.. cables.Select(cable => new FeedChange(cable)).Where(filter.Matches)];
                    var caughtUp = chunk.Count < _options.ReadChunkSize;
                    end = caughtUp ? ChangePosition.Max(position, ChangePosition.AtHorizon(horizon)) : chunk[^1].Position;
                    waitForFeed = caughtUp && !subscription.TryRejoin(end) ? refreshed : Task.CompletedTask;
                }

                // Each match is written when the next one is found, buffered; the chunk's last one flushes them all.
                EncodedWatchCablesResponse? held = null;
                foreach (var change in matched)
                {
                    if (await ResponseAsync(change, request, filter.Query, ct) is { } response)
                    {
                        if (held is not null)
                        {
                            responses.WriteOptions = s_buffered;
                            await responses.WriteAsync(held, ct);
                        }

                        held = response;
                    }

                    position = change.Position;
                }

                responses.WriteOptions = null;
                if (held is not null)
                {
                    await responses.WriteAsync(held, ct);
                    sent.Restart();
                }

                position = ChangePosition.Max(position, end);

                // Also while changes flow that all miss the filter: the position advances with them.
                if (sent.Elapsed >= _options.HeartbeatInterval)
                {
                    await responses.WriteAsync(Heartbeat(position), ct);
                    sent.Restart();
                }

                if (matched.Count > 0 && !read.Behind)
                {
                    continue;
                }

                var quiet = _options.HeartbeatInterval - sent.Elapsed;
                if (quiet > TimeSpan.Zero)
                {
                    await waitForFeed.WaitAsync(quiet, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }

                ct.ThrowIfCancellationRequested();
            }
        }
        catch (ChangePositionExpiredException)
        {
            throw Expired();
        }
        catch (OperationCanceledException) when (shutdown.IsStopping && !context.CancellationToken.IsCancellationRequested)
        {
            // Retryable, with where to go on from: the client calls again, here or on another replica.
            throw ShutdownSignal.StreamInterrupted(WatchPosition.Encode(position, tokenKey.Key));
        }
    }

    private ChangePosition? StartOf(Api.WatchCablesRequest request)
    {
        if (request.StartCase != Api.WatchCablesRequest.StartOneofCase.Position)
        {
            return null;
        }

        return WatchPosition.TryDecode(request.Position, tokenKey.Key, out var position)
            ? position
            : throw RpcErrors.InvalidArgument("position", "not a position this service issued (altered, truncated, a resume token, or signed with another key)");
    }

    private EncodedWatchCablesResponse Heartbeat(ChangePosition position) => new() { Position = WatchPosition.Encode(position, tokenKey.Key) };

    /// <summary>
    /// The response for a matching change: in the BASIC view the change's own, shared by every watcher (trimmed to a
    /// read mask when there is one); with texts, the cable read again, or null when the caller may no longer see it
    /// (revised above its clearance since the change was read). Synchronous for the shared response, which most
    /// deliveries are: no task per delivery.
    /// </summary>
    private ValueTask<EncodedWatchCablesResponse?> ResponseAsync(FeedChange change, Api.WatchCablesRequest request, CableQuery query, CancellationToken ct)
    {
        var shared = change.Encoded(tokenKey.Key);
        if (query.Texts == CableTexts.None)
        {
            return ValueTask.FromResult<EncodedWatchCablesResponse?>(request.ReadMask is { Paths.Count: > 0 } ? Masked(shared, change.Cable, request) : shared);
        }

        return ReadAgainAsync(shared, change, request, query, ct);
    }

    private async ValueTask<EncodedWatchCablesResponse?> ReadAgainAsync(
        EncodedWatchCablesResponse shared, FeedChange change, Api.WatchCablesRequest request, CableQuery query, CancellationToken ct) =>
        await _store.GetAsync(change.Change.ReferenceId, query.Texts, query.Visibility, ct) is { } cable ? Masked(shared, cable, request) : null;

    private static EncodedWatchCablesResponse Masked(EncodedWatchCablesResponse shared, Api.Cable cable, Api.WatchCablesRequest request) => new()
    {
        Kind = shared.Kind,
        Cable = ReadMasks.Apply(request.ReadMask, cable).ToByteString(),
        Position = shared.Position,
    };

    private static RpcException Expired() => RpcErrors.FailedPrecondition(
        PositionExpired,
        "the changes after this position are older than the retention window and were pruned: read again with StreamCables, then watch from now");
}
