using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;

namespace Cables.Cli.Tests.Fakes;

/// <summary>
/// An in-memory stand-in for the service behind the generated client: an idempotent store keyed by client
/// item id (CREATED once, UNCHANGED after), with knobs to break connections, refuse them, hold acknowledgements
/// back and reject items, so the ingest engine's window, reconnect and resume logic can be tested exactly.
/// </summary>
public sealed class FakeCablesClient : V1.CableArchive.CableArchiveClient
{
    private readonly Lock _lock = new();
    private int _connections;
    private int _poisonReceived;

    /// <summary>Committed items: client item id to how many times a request for it reached the store.</summary>
    public ConcurrentDictionary<string, int> Commits { get; } = new(StringComparer.Ordinal);

    /// <summary>Connection attempts refused (Unavailable) before the next one is accepted; int.MaxValue: the server is down.</summary>
    public int RefuseConnections { get; set; }

    /// <summary>The n-th accepted connection (from 1) breaks after committing this many items, having answered only <see cref="AcknowledgeBeforeBreak"/> of them.</summary>
    public Dictionary<int, int> BreakAfterCommits { get; } = [];

    public int AcknowledgeBeforeBreak { get; set; } = int.MaxValue;

    /// <summary>The status a connection set to break fails with.</summary>
    public Status BreakStatus { get; set; } = new(StatusCode.Unavailable, "server stopped");

    /// <summary>
    /// Acknowledge in batches of this many, or when no request came for <see cref="BatchDelay"/> (as the service does),
    /// or at the end of the request stream: shows how many the client keeps in flight.
    /// </summary>
    public int AcknowledgeBatch { get; set; } = 1;

    public TimeSpan BatchDelay { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>An item whose text contains this fails the whole stream with <see cref="PoisonStatus"/>, its batch unanswered: a service bug on one item.</summary>
    public string PoisonMarker { get; set; } = "POISON";

    public Status PoisonStatus { get; set; } = new(StatusCode.Unknown, "Exception was thrown by handler.");

    /// <summary>How often a poison item reached the service.</summary>
    public int PoisonReceived => Volatile.Read(ref _poisonReceived);

    /// <summary>Items whose text contains this are rejected (NO_REFERENCE_ID), as the service rejects unparseable text.</summary>
    public string RejectMarker { get; set; } = "GARBAGE";

    /// <summary>Most requests received and not yet answered on one connection.</summary>
    public int MaxUnacknowledged { get; private set; }

    public int AcceptedConnections { get; private set; }

    public List<V1.Cable> Cables { get; } = [];

    public List<V1.StreamCablesRequest> StreamRequests { get; } = [];

    public List<V1.CountCablesRequest> CountRequests { get; } = [];

    /// <summary>StreamCables fails with Unavailable after this many cables, once.</summary>
    public int? BreakStreamAfter { get; set; }

    public RpcException? Failure { get; set; }

    public override AsyncDuplexStreamingCall<V1.IngestCableRequest, V1.IngestCableResponse> IngestCables(CallOptions options)
    {
        var attempt = Interlocked.Increment(ref _connections);
        var requests = Channel.CreateUnbounded<V1.IngestCableRequest>();
        var responses = Channel.CreateUnbounded<V1.IngestCableResponse>();
        int? breakAfter = null;
        lock (_lock)
        {
            if (RefuseConnections > 0)
            {
                RefuseConnections = RefuseConnections == int.MaxValue ? int.MaxValue : RefuseConnections - 1;
                responses.Writer.Complete(new RpcException(new Status(StatusCode.Unavailable, "connection refused")));
                requests.Writer.Complete();
            }
            else
            {
                AcceptedConnections++;
                breakAfter = BreakAfterCommits.TryGetValue(AcceptedConnections, out var n) ? n : null;
                _ = Task.Run(() => ServeAsync(requests.Reader, responses.Writer, breakAfter, options.CancellationToken));
            }
        }

        return new AsyncDuplexStreamingCall<V1.IngestCableRequest, V1.IngestCableResponse>(
            new RequestWriter(requests.Writer, responses.Reader),
            new ResponseReader(responses.Reader),
            Task.FromResult(new Metadata()),
            () => Status.DefaultSuccess,
            () => [],
            () => { });
    }

    private async Task ServeAsync(ChannelReader<V1.IngestCableRequest> requests, ChannelWriter<V1.IngestCableResponse> responses, int? breakAfter, CancellationToken cancellationToken)
    {
        var held = new List<V1.IngestCableResponse>();
        var committed = 0;
        var acknowledged = 0;
        var unacknowledged = 0;
        try
        {
            while (await NextBatchAsync(requests, held.Count > 0, cancellationToken))
            {
                if (!requests.TryRead(out var request))
                {
                    // BatchDelay without a request: answer what the batch holds
                    acknowledged += held.Count;
                    unacknowledged -= held.Count;
                    foreach (var answer in held)
                    {
                        await responses.WriteAsync(answer, cancellationToken);
                    }

                    held.Clear();
                    continue;
                }

                if (request.RawText.Contains(PoisonMarker, StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref _poisonReceived);
                    responses.Complete(new RpcException(PoisonStatus));
                    return;
                }

                unacknowledged++;
                lock (_lock)
                {
                    MaxUnacknowledged = Math.Max(MaxUnacknowledged, unacknowledged);
                }

                var response = Commit(request);
                committed++;

                // On a connection set to break, commits past AcknowledgeBeforeBreak get no answer: the client must resend them.
                if (breakAfter is null || acknowledged + held.Count < AcknowledgeBeforeBreak)
                {
                    held.Add(response);
                }

                if (held.Count >= AcknowledgeBatch)
                {
                    acknowledged += held.Count;
                    unacknowledged -= held.Count;
                    foreach (var answer in held)
                    {
                        await responses.WriteAsync(answer, cancellationToken);
                    }

                    held.Clear();
                }

                if (breakAfter is { } limit && committed >= limit)
                {
                    responses.Complete(new RpcException(BreakStatus));
                    return;
                }
            }

            foreach (var answer in held)
            {
                await responses.WriteAsync(answer, cancellationToken);
            }

            responses.Complete();
        }
        catch (OperationCanceledException)
        {
            responses.TryComplete(new RpcException(new Status(StatusCode.Cancelled, "call cancelled")));
        }
    }

    /// <summary>False at the end of the request stream; true when a request is there, or when <paramref name="holding"/> answers and none came for <see cref="BatchDelay"/>.</summary>
    private async Task<bool> NextBatchAsync(ChannelReader<V1.IngestCableRequest> requests, bool holding, CancellationToken cancellationToken)
    {
        if (!holding)
        {
            return await requests.WaitToReadAsync(cancellationToken);
        }

        using var delay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        delay.CancelAfter(BatchDelay);
        try
        {
            return await requests.WaitToReadAsync(delay.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return true;
        }
    }

    private V1.IngestCableResponse Commit(V1.IngestCableRequest request) => FakeCommits.Answer(Commits, request, RejectMarker);

    public override AsyncServerStreamingCall<V1.StreamCablesResponse> StreamCables(V1.StreamCablesRequest request, CallOptions options)
    {
        StreamRequests.Add(request.Clone());
        if (Failure is not null)
        {
            throw Failure;
        }

        var start = request.ResumeToken.Length == 0 ? 0 : int.Parse(request.ResumeToken, System.Globalization.CultureInfo.InvariantCulture);
        var matching = Cables.Skip(start).Take(request.Limit > 0 ? request.Limit : int.MaxValue).ToList();
        var responses = Channel.CreateUnbounded<V1.StreamCablesResponse>();
        for (var i = 0; i < matching.Count; i++)
        {
            if (BreakStreamAfter is { } limit && i == limit)
            {
                BreakStreamAfter = null;
                responses.Writer.Complete(new RpcException(new Status(StatusCode.Unavailable, "server stopped")));
                break;
            }

            responses.Writer.TryWrite(new V1.StreamCablesResponse { Cable = matching[i], ResumeToken = (start + i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        responses.Writer.TryComplete();
        return new AsyncServerStreamingCall<V1.StreamCablesResponse>(
            new ResponseReader<V1.StreamCablesResponse>(responses.Reader), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }

    public override AsyncUnaryCall<V1.CountCablesResponse> CountCablesAsync(V1.CountCablesRequest request, CallOptions options)
    {
        CountRequests.Add(request.Clone());
        var response = Failure is null
            ? Task.FromResult(new V1.CountCablesResponse { Count = Cables.Count })
            : Task.FromException<V1.CountCablesResponse>(Failure);
        return new AsyncUnaryCall<V1.CountCablesResponse>(response, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }

    public override AsyncUnaryCall<V1.Cable> GetCableAsync(V1.GetCableRequest request, CallOptions options)
    {
        var cable = Cables.FirstOrDefault(c => c.ReferenceId == request.ReferenceId);
        var response = cable is null
            ? Task.FromException<V1.Cable>(new RpcException(new Status(StatusCode.NotFound, $"no cable {request.ReferenceId}")))
            : Task.FromResult(cable);
        return new AsyncUnaryCall<V1.Cable>(response, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }

    /// <summary>Like grpc-dotnet: writing to a call that has failed throws its status.</summary>
    private sealed class RequestWriter(ChannelWriter<V1.IngestCableRequest> requests, ChannelReader<V1.IngestCableResponse> responses)
        : IClientStreamWriter<V1.IngestCableRequest>
    {
        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(V1.IngestCableRequest message) => WriteAsync(message, CancellationToken.None);

        public async Task WriteAsync(V1.IngestCableRequest message, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (responses.Completion.IsFaulted)
            {
                throw responses.Completion.Exception!.InnerException!;
            }

            if (!requests.TryWrite(message))
            {
                throw new InvalidOperationException("Can't write the message because the call is complete.");
            }

            await Task.Yield();
        }

        public Task CompleteAsync()
        {
            requests.TryComplete();
            return Task.CompletedTask;
        }
    }

    private sealed class ResponseReader(ChannelReader<V1.IngestCableResponse> responses) : ResponseReader<V1.IngestCableResponse>(responses);

    private class ResponseReader<T>(ChannelReader<T> responses) : IAsyncStreamReader<T>
    {
        public T Current { get; private set; } = default!;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            try
            {
                if (!await responses.WaitToReadAsync(cancellationToken))
                {
                    return false;
                }
            }
            catch (OperationCanceledException)
            {
                throw new RpcException(new Status(StatusCode.Cancelled, "call cancelled"));
            }

            Current = await responses.ReadAsync(cancellationToken);
            return true;
        }
    }
}
