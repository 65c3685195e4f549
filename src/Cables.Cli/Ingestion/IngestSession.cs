using System.Runtime.ExceptionServices;
using Cables.Api.V1.Mapping;
using Cables.Cli.Inputs;
using Cables.Parsing.Model;
using Grpc.Core;

namespace Cables.Cli.Ingestion;

/// <summary>
/// Streams source items to <c>IngestCables</c> with at most <see cref="IngestOptions.Window"/> of them
/// unacknowledged. Items an earlier run acknowledged (resume state) are skipped; every acknowledgement
/// is recorded there. When the stream breaks it reconnects with exponential backoff (the wait bounded
/// in total by <see cref="IngestOptions.MaxReconnectWait"/> while no progress is made) and resends every
/// unacknowledged item: the service is idempotent, so an item committed just before the break comes
/// back UNCHANGED. Nothing is lost and nothing counted twice. How a failure is treated (resent as is,
/// resent one item at a time to find the one the service fails on, or the end of the run) is
/// <see cref="IngestFailures"/>' rule; an item the service fails on alone <see cref="IngestOptions.MaxResends"/>
/// times is quarantined: answered REJECTED (QUARANTINED) here, so the rest of the job goes on.
/// </summary>
public sealed class IngestSession : IDisposable
{
    /// <summary>Quarantines in a row, with no answer between them, that end the run: the service fails every item.</summary>
    private const int MaxQuarantinedInARow = 5;

    /// <summary>The longest source the service accepts (<c>SourceMetadata.source</c>); a longer path is cut.</summary>
    private const int MaxSourceLength = 1000;

    private readonly V1.CableArchive.CableArchiveClient _client;
    private readonly IngestOptions _options;
    private readonly ResumeState? _resume;
    private readonly IIngestListener _listener;
    private readonly SemaphoreSlim _window;
    private readonly Lock _lock = new();

    // Sent and not yet acknowledged, by client item id; the sequence keeps resends in their original order.
    private readonly Dictionary<string, PendingItem> _pending = new(StringComparer.Ordinal);
    private long _sequence;
    private IEnumerator<SourceItem>? _source;
    private volatile bool _sourceDone;
    private bool _progressed;
    private Exception? _connectionError;
    private long _lastAcknowledged;

    // After the service failed on an item: pending items go out in flights of 1, 2, 4… (see IsolateAsync).
    private bool _isolating;
    private List<PendingItem>? _flight;
    private int _flightWritten;
    private readonly SemaphoreSlim _flightAnswered = new(0);
    private int _quarantinedInARow;

    public IngestSession(V1.CableArchive.CableArchiveClient client, IngestOptions options, ResumeState? resume, IIngestListener listener)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Window, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxResends, 1);
        _client = client;
        _options = options;
        _resume = resume;
        _listener = listener;
        _window = new SemaphoreSlim(options.Window, options.Window);
    }

    public IngestCounters Counters { get; } = new();

    /// <summary>
    /// Sends every item and returns once each has a final answer. Throws <see cref="OperationCanceledException"/>
    /// when cancelled, <see cref="ServiceUnavailableException"/> when the service stayed away too long or failed on
    /// item after item, and the call's <see cref="RpcException"/> for a <see cref="FailureKind.Fatal"/> failure.
    /// </summary>
    public async Task RunAsync(IEnumerable<SourceItem> items, CancellationToken cancellationToken)
    {
        using var source = items.GetEnumerator();
        _source = source;
        var attempt = 0;
        var waited = TimeSpan.Zero;
        while (true)
        {
            _progressed = false;
            try
            {
                await RunConnectionAsync(cancellationToken);
                return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IngestFailures.Classify(ex) != FailureKind.Fatal)
            {
                if (IngestFailures.Classify(ex) == FailureKind.Item)
                {
                    BlameFlight(ex);
                }

                if (_progressed)
                {
                    attempt = 0;
                    waited = TimeSpan.Zero;
                }

                var delay = Backoff(attempt++);
                if (IngestFailures.RetryDelay(ex) is { } asked && asked > delay)
                {
                    delay = asked;
                }

                if (waited + delay > _options.MaxReconnectWait)
                {
                    throw new ServiceUnavailableException($"the service did not come back within {_options.MaxReconnectWait.TotalSeconds:0} s: {Describe(ex)}", ex);
                }

                waited += delay;
                Counters.AddReconnect();
                _listener.Reconnecting(ex, attempt, delay);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    /// <summary>One stream: resend what the last one left unacknowledged, then go on with the source.</summary>
    private async Task RunConnectionAsync(CancellationToken cancellationToken)
    {
        _connectionError = null;
        _flight = null;
        Volatile.Write(ref _lastAcknowledged, Environment.TickCount64);
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var call = _client.IngestCables(cancellationToken: connection.Token);
        var reading = ReadOrFailAsync(call.ResponseStream, connection);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(connection.Token);
        var watchdog = WatchAsync(connection, watching.Token);
        try
        {
            await WriteAsync(call.RequestStream, connection.Token);
        }
        catch (Exception ex)
        {
            Fail(ex, connection);
        }

        try
        {
            await reading;
        }
        catch (Exception ex)
        {
            Fail(ex, connection);
        }

        await watching.CancelAsync();
        await watchdog;

        cancellationToken.ThrowIfCancellationRequested();
        if (_connectionError is not null)
        {
            ExceptionDispatchInfo.Capture(_connectionError).Throw();
        }

        var unacknowledged = PendingCount();
        if (unacknowledged > 0)
        {
            throw new StreamEndedException($"the service ended the stream with {unacknowledged} items unacknowledged");
        }
    }

    private async Task WriteAsync(IClientStreamWriter<V1.IngestCableRequest> requests, CancellationToken cancellationToken)
    {
        if (_isolating)
        {
            await IsolateAsync(requests, cancellationToken);
        }
        else
        {
            foreach (var item in PendingInOrder(int.MaxValue))
            {
                await requests.WriteAsync(item.Request, cancellationToken);
                Counters.AddSent();
            }
        }

        while (!_sourceDone)
        {
            // A slot first: the window bounds what is in flight, and so what a reconnect must resend.
            await _window.WaitAsync(cancellationToken);
            if (!_source!.MoveNext())
            {
                _sourceDone = true;
                _window.Release();
                break;
            }

            var item = _source.Current;
            if (_resume?.Contains(item.Source) == true)
            {
                Counters.AddSkipped();
                _window.Release();
                continue;
            }

            if (RejectLocally(item) is { } rejection)
            {
                Counters.AddOutcome(V1.IngestOutcome.Rejected, 0);
                _window.Release();
                _listener.Acknowledged(rejection);
                _resume?.Add(item.Source);
                continue;
            }

            var request = ToRequest(item.Source, item.Cable!);
            lock (_lock)
            {
                // A source that names one item twice (the same path given twice) sends it once per window.
                if (!_pending.TryAdd(request.ClientItemId, new PendingItem(_sequence++, request)))
                {
                    Counters.AddSkipped();
                    _window.Release();
                    continue;
                }

                Counters.SetInFlight(_pending.Count);
            }

            await requests.WriteAsync(request, cancellationToken);
            Counters.AddSent();
        }

        await requests.CompleteAsync();
    }

    /// <summary>A failed read fails the connection at once: the writer may be waiting for a slot or an answer, not writing.</summary>
    private async Task ReadOrFailAsync(IAsyncStreamReader<V1.IngestCableResponse> responses, CancellationTokenSource connection)
    {
        try
        {
            await ReadAcknowledgementsAsync(responses, connection);
        }
        catch (Exception ex)
        {
            Fail(ex, connection);
            throw;
        }
    }

    private async Task ReadAcknowledgementsAsync(IAsyncStreamReader<V1.IngestCableResponse> responses, CancellationTokenSource connection)
    {
        await Task.Yield(); // let the writer start while this waits for the first answer
        while (await NextAsync(responses, connection.Token))
        {
            var response = responses.Current;
            PendingItem? item;
            lock (_lock)
            {
                if (!_pending.Remove(response.ClientItemId, out item))
                {
                    continue; // not ours, or answered already: never count an item twice
                }

                Counters.SetInFlight(_pending.Count);
            }

            _window.Release();
            _progressed = true;
            Volatile.Write(ref _quarantinedInARow, 0);
            Volatile.Write(ref _lastAcknowledged, Environment.TickCount64);
            if (Volatile.Read(ref _flight) is not null)
            {
                _flightAnswered.Release();
            }

            Counters.AddOutcome(response.Outcome, item.Request.RawText.Length);
            _listener.Acknowledged(response); // the rejects file before the state file, which makes the next run skip the item
            _resume?.Add(response.ClientItemId);
        }

        // The service closed its side early (shutting down): free the writer, which may be waiting for a slot.
        if (!_sourceDone || PendingCount() > 0)
        {
            Fail(new StreamEndedException($"the service ended the stream with {PendingCount()} items unacknowledged"), connection);
        }
    }

    /// <summary>
    /// The next answer. Before waiting for one, the answers so far go from the resume state's buffer to the file: a
    /// batch of answers is written together, and what a killed process loses is at most the batch it was reading.
    /// </summary>
    private ValueTask<bool> NextAsync(IAsyncStreamReader<V1.IngestCableResponse> responses, CancellationToken cancellationToken)
    {
        var next = responses.MoveNext(cancellationToken);
        if (!next.IsCompleted)
        {
            _resume?.Flush(durable: false);
        }

        return new ValueTask<bool>(next);
    }

    /// <summary>Fails a connection that has items in flight and has answered none of them for <see cref="IngestOptions.AcknowledgementTimeout"/>.</summary>
    private async Task WatchAsync(CancellationTokenSource connection, CancellationToken stop)
    {
        var timeout = _options.AcknowledgementTimeout;
        var period = timeout / 4 < TimeSpan.FromSeconds(1) ? timeout / 4 : TimeSpan.FromSeconds(1);
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var silent = TimeSpan.FromMilliseconds(Environment.TickCount64 - Volatile.Read(ref _lastAcknowledged));
                if (PendingCount() > 0 && silent > timeout)
                {
                    Fail(new TimeoutException($"no acknowledgement for {silent.TotalSeconds:0} s with {PendingCount()} items in flight"), connection);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the connection ended
        }
    }

    /// <summary>
    /// Keeps the first failure of a connection (the cause) and stops the other half of the call. A status from the
    /// service replaces a first failure that is not one (a write refused because the call had ended): it says why.
    /// </summary>
    private void Fail(Exception error, CancellationTokenSource connection)
    {
        if (!connection.IsCancellationRequested)
        {
            Interlocked.CompareExchange(ref _connectionError, error, null);
            connection.Cancel();
        }
        else if (error is RpcException { StatusCode: not StatusCode.Cancelled } && Volatile.Read(ref _connectionError) is { } first and not RpcException and not TimeoutException)
        {
            Interlocked.CompareExchange(ref _connectionError, error, first);
        }
    }

    /// <summary>
    /// After the service failed on an item, sends the pending items oldest first in flights of 1, 2, 4…, each answered
    /// in full before the next: a failure with one item in flight is that item's, and no other item is blamed for it.
    /// Sends from the source resume once every pending item is answered.
    /// </summary>
    private async Task IsolateAsync(IClientStreamWriter<V1.IngestCableRequest> requests, CancellationToken cancellationToken)
    {
        for (var size = 1; ; size = Math.Min(size * 2, _options.Window))
        {
            var flight = PendingInOrder(size);
            if (flight.Count == 0)
            {
                break;
            }

            _flightWritten = 0;
            Volatile.Write(ref _flight, flight);
            foreach (var item in flight)
            {
                await requests.WriteAsync(item.Request, cancellationToken);
                Counters.AddSent();
                _flightWritten++;
            }

            while (flight.Exists(IsPending))
            {
                await _flightAnswered.WaitAsync(cancellationToken);
            }
        }

        Volatile.Write(ref _flight, null);
        _isolating = false;
    }

    /// <summary>
    /// The service failed on something it was sent. With one item in flight, it failed on that item, which gets a
    /// strike, and is quarantined at <see cref="IngestOptions.MaxResends"/>; otherwise the next connection isolates.
    /// </summary>
    private void BlameFlight(Exception error)
    {
        _isolating = true;
        if (_flight is not [var alone] || _flightWritten != 1 || !IsPending(alone))
        {
            return;
        }

        alone.Strikes++;
        if (alone.Strikes < _options.MaxResends)
        {
            return;
        }

        lock (_lock)
        {
            _pending.Remove(alone.Request.ClientItemId);
            Counters.SetInFlight(_pending.Count);
        }

        _window.Release();
        _progressed = true; // the job moved on: the next item gets the backoff afresh
        Counters.AddQuarantined();
        Counters.AddOutcome(V1.IngestOutcome.Rejected, 0);

        // Not recorded in the resume state: a later run sends the item again, once the service is fixed.
        _listener.Acknowledged(Rejection(
            alone.Request.ClientItemId,
            "QUARANTINED",
            $"the service failed the stream {alone.Strikes} times with this item alone in flight ({Describe(error)}); not sent again"));
        if (++_quarantinedInARow >= MaxQuarantinedInARow)
        {
            throw new ServiceUnavailableException($"the service failed on {MaxQuarantinedInARow} items in a row, each alone: it fails every item, not one: {Describe(error)}", error);
        }
    }

    private bool IsPending(PendingItem item)
    {
        lock (_lock)
        {
            return _pending.ContainsKey(item.Request.ClientItemId);
        }
    }

    private V1.IngestCableResponse? RejectLocally(SourceItem item)
    {
        if (item.Cable is null)
        {
            return Rejection(item.Source, "UNREADABLE_INPUT", item.Error ?? "the input could not be read");
        }

        // UTF-8 is at most 3 bytes a UTF-16 char; count exactly only near the limit.
        var text = item.Cable.Text;
        if (text.Length * 3L > _options.MaxItemBytes && System.Text.Encoding.UTF8.GetByteCount(text) > _options.MaxItemBytes)
        {
            return Rejection(item.Source, "CABLE_TOO_LARGE", $"{System.Text.Encoding.UTF8.GetByteCount(text):N0} bytes; this client sends at most {_options.MaxItemBytes:N0}");
        }

        return null;
    }

    /// <summary>
    /// Pages and CSV rows go out unwrapped (this tool reads the formats, the service parses): the telegram text,
    /// as the corpus keeps it and the service stores it, with what the page or row states as metadata, and the
    /// item's path (<c>path#N</c> for a CSV row) as the source the service keeps with the version it makes.
    /// </summary>
    public static V1.IngestCableRequest ToRequest(string source, RawCable cable)
    {
        var metadata = CableMessages.ToApi(cable.Metadata) ?? new V1.SourceMetadata();
        metadata.Source = source.Length <= MaxSourceLength ? source : source[..MaxSourceLength];
        return new()
        {
            ClientItemId = source,
            RawText = cable.Text,
            Format = V1.SourceFormat.Telegram,
            Metadata = metadata,
        };
    }

    private static V1.IngestCableResponse Rejection(string source, string reason, string details) =>
        new() { ClientItemId = source, Outcome = V1.IngestOutcome.Rejected, Reason = reason, Details = details };

    private List<PendingItem> PendingInOrder(int count)
    {
        lock (_lock)
        {
            return [.. _pending.Values.OrderBy(p => p.Sequence).Take(count)];
        }
    }

    private int PendingCount()
    {
        lock (_lock)
        {
            return _pending.Count;
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var delay = _options.FirstReconnectDelay * Math.Pow(2, Math.Min(attempt, 16));
        return delay < _options.MaxReconnectDelay ? delay : _options.MaxReconnectDelay;
    }

    private static string Describe(Exception error) => error is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : error.Message;

    public void Dispose()
    {
        _window.Dispose();
        _flightAnswered.Dispose();
    }

    private sealed class PendingItem(long sequence, V1.IngestCableRequest request)
    {
        public long Sequence { get; } = sequence;

        public V1.IngestCableRequest Request { get; } = request;

        /// <summary>Streams the service failed (<see cref="FailureKind.Item"/>) with this item alone in flight.</summary>
        public int Strikes { get; set; }
    }
}

/// <summary>The service stayed unreachable for longer than the reconnection budget, or failed on item after item.</summary>
public sealed class ServiceUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>The response stream ended normally while items were still unacknowledged.</summary>
public sealed class StreamEndedException(string message) : Exception(message);
