using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Cables.Api.V1.Server;
using CableService.Grpc;
using CableService.Telemetry;
using Google.Protobuf;
using Grpc.Core;

namespace CableService.Security;

/// <summary>
/// What one call did, for the audit: the filter (full-text query cut to <see cref="MaxTextLength"/> characters), the
/// cables sent per classification level and the ingest outcomes. Never a cable's text. Thread-safe: a duplex call
/// writes from several tasks.
/// </summary>
public sealed class CallAudit
{
    public const int MaxTextLength = 40;

    private readonly long[] _byLevel = new long[6];
    private readonly long[] _byOutcome = new long[5];

    public string Filter { get; private set; } = "";

    public static CallAudit For(object request)
    {
        var audit = new CallAudit();
        audit.Filter = request switch
        {
            Api.StreamCablesRequest r => Describe(r.Filter) + (r.Limit > 0 ? $" limit={r.Limit}" : "") + (r.ResumeToken.Length > 0 ? " resumed" : ""),
            Api.ListCablesRequest r => Describe(r.Filter) + $" page_size={r.PageSize}" + (r.PageToken.Length > 0 ? " next-page" : ""),
            Api.CountCablesRequest r => Describe(r.Filter),
            Api.GetCableRequest r => $"reference_id={Cut(r.ReferenceId)} view={r.View}",
            _ => "",
        };
        return audit;
    }

    /// <summary>Counts what a response carries.</summary>
    public void Sent(object response)
    {
        switch (response)
        {
            case EncodedStreamCablesResponse encoded:
                Count(LevelOf(encoded.Cable));
                break;
            case EncodedWatchCablesResponse { Cable.Length: > 0 } change:
                Count(LevelOf(change.Cable));
                break;
            case Api.Cable cable:
                Count(cable.Classification?.Level ?? Api.ClassificationLevel.Unspecified);
                break;
            case Api.ListCablesResponse page:
                foreach (var cable in page.Cables)
                {
                    Count(cable.Classification?.Level ?? Api.ClassificationLevel.Unspecified);
                }

                break;
            case Api.IngestCableResponse answer when (int)answer.Outcome is >= 0 and < 5:
                Interlocked.Increment(ref _byOutcome[(int)answer.Outcome]);
                break;
        }
    }

    /// <summary>Cables sent, by level name (only the levels sent).</summary>
    public IReadOnlyDictionary<string, long> ByLevel() =>
        Enumerable.Range(0, _byLevel.Length).Where(i => Volatile.Read(ref _byLevel[i]) > 0)
            .ToDictionary(i => ((Api.ClassificationLevel)i).ToString(), i => Volatile.Read(ref _byLevel[i]));

    /// <summary>Ingest answers, by outcome name (only those given).</summary>
    public IReadOnlyDictionary<string, long> ByOutcome() =>
        Enumerable.Range(0, _byOutcome.Length).Where(i => Volatile.Read(ref _byOutcome[i]) > 0)
            .ToDictionary(i => ((Api.IngestOutcome)i).ToString(), i => Volatile.Read(ref _byOutcome[i]));

    private void Count(Api.ClassificationLevel level) =>
        Interlocked.Increment(ref _byLevel[(int)level is >= 0 and < 6 ? (int)level : 0]);

    /// <summary>
    /// The level of an encoded <c>cables.v1.Cable</c>: field 1 of field 4, read in place; Unspecified when absent or
    /// malformed. Walks the wire format by hand, allocating nothing: it runs once per cable sent and per watcher, and
    /// parsing the classification was measured as the largest allocation of a delivery (bench/RESULTS.md).
    /// </summary>
    internal static Api.ClassificationLevel LevelOf(ByteString cable) =>
        FieldOf(cable.Span, Api.Cable.ClassificationFieldNumber, WireFormat.WireType.LengthDelimited, out _, out var classification)
        && FieldOf(classification, Api.Classification.LevelFieldNumber, WireFormat.WireType.Varint, out var level, out _)
            ? (Api.ClassificationLevel)(int)level
            : Api.ClassificationLevel.Unspecified;

    /// <summary>The last occurrence of field <paramref name="number"/> of <paramref name="type"/> in a message (an encoder writes it once).</summary>
    private static bool FieldOf(ReadOnlySpan<byte> message, int number, WireFormat.WireType type, out ulong varint, out ReadOnlySpan<byte> bytes)
    {
        var found = false;
        varint = 0;
        bytes = default;
        while (!message.IsEmpty)
        {
            if (!TryReadVarint(ref message, out var tag))
            {
                return false;
            }

            ulong value = 0;
            var payload = ReadOnlySpan<byte>.Empty;
            switch ((WireFormat.WireType)(tag & 7))
            {
                case WireFormat.WireType.Varint when TryReadVarint(ref message, out value):
                    break;
                case WireFormat.WireType.Fixed64 when message.Length >= 8:
                    message = message[8..];
                    break;
                case WireFormat.WireType.Fixed32 when message.Length >= 4:
                    message = message[4..];
                    break;
                case WireFormat.WireType.LengthDelimited when TryReadVarint(ref message, out var length) && length <= (ulong)message.Length:
                    payload = message[..(int)length];
                    message = message[(int)length..];
                    break;
                default:
                    return false; // truncated, or a group: not in a proto3 message
            }

            if ((int)(tag >> 3) == number && (WireFormat.WireType)(tag & 7) == type)
            {
                found = true;
                varint = value;
                bytes = payload;
            }
        }

        return found;
    }

    private static bool TryReadVarint(ref ReadOnlySpan<byte> input, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && !input.IsEmpty; shift += 7)
        {
            var b = input[0];
            input = input[1..];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }

        return false;
    }

    private static string Describe(Api.CableFilter? filter)
    {
        if (filter is null)
        {
            return "";
        }

        var text = new StringBuilder();
        void Add(string name, string value)
        {
            if (value.Length > 0)
            {
                text.Append(text.Length > 0 ? " " : "").Append(name).Append('=').Append(value);
            }
        }

        Add("all_tags", string.Join(',', filter.AllTags.Select(Cut)));
        Add("any_tags", string.Join(',', filter.AnyTags.Select(Cut)));
        Add("origins", string.Join(',', filter.Origins.Select(Cut)));
        Add("from", filter.CreatedFrom?.ToDateTime().ToString("O") ?? "");
        Add("to", filter.CreatedTo?.ToDateTime().ToString("O") ?? "");
        Add("max", filter.MaxClassification == Api.ClassificationLevel.Unspecified ? "" : filter.MaxClassification.ToString());
        Add("text", filter.Text.Length > MaxTextLength ? $"\"{filter.Text[..MaxTextLength]}…\"" : filter.Text.Length > 0 ? $"\"{filter.Text}\"" : "");
        Add("cites", Cut(filter.Cites));
        return text.ToString();
    }

    private static string Cut(string value) => value.Length > MaxTextLength ? value[..MaxTextLength] + "…" : value;
}

/// <summary>
/// One structured audit event (category <see cref="AuthAudit.Category"/>) and one metric point per call of the cables
/// service: caller, RPC, status, the filter, cables returned per level, ingest outcomes. Refused calls never reach it:
/// <see cref="AuthAudit.Denied"/> records those.
/// </summary>
public sealed class AuditInterceptor(ILoggerFactory loggers, CallerVisibility callers) : StreamingInterceptor
{
    private static readonly Meter s_meter = new(CableTelemetry.Name);

    private static readonly Counter<long> s_calls =
        s_meter.CreateCounter<long>("cables.audit.calls", "{call}", "Calls of the cables service, by RPC and status");

    private static readonly Counter<long> s_returned =
        s_meter.CreateCounter<long>("cables.audit.returned", "{cable}", "Cables returned, by RPC and classification level");

    private readonly ILogger _logger = loggers.CreateLogger(AuthAudit.Category);

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var audit = CallAudit.For(request);
        TResponse? response = null;
        await Audited(context, audit, async () =>
        {
            response = await continuation(request, context);
            audit.Sent(response);
        });
        return response!;
    }

    protected override Task AroundStream<TResponse>(
        object? request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        Func<IServerStreamWriter<TResponse>, Task> call)
    {
        var audit = request is null ? new CallAudit() : CallAudit.For(request);
        return Audited(context, audit, () => call(new CountingWriter<TResponse>(responseStream, audit)));
    }

    private async Task Audited(ServerCallContext context, CallAudit audit, Func<Task> call)
    {
        var started = Stopwatch.GetTimestamp();
        var status = StatusCode.OK;
        try
        {
            await call();
        }
        catch (Exception e)
        {
            status = StatusOf(e, context);
            throw;
        }
        finally
        {
            Record(context, audit, status, started);
        }
    }

    // An exception other than an RpcException leaves as INTERNAL or UNAVAILABLE (ErrorInterceptor); a cancelled call as CANCELLED.
    private static StatusCode StatusOf(Exception e, ServerCallContext context) => e switch
    {
        RpcException rpc => rpc.StatusCode,
        _ when context.CancellationToken.IsCancellationRequested => StatusCode.Cancelled,
        _ => StatusCode.Internal,
    };

    private void Record(ServerCallContext context, CallAudit audit, StatusCode status, long started)
    {
        var rpc = context.Method;
        var caller = AuthAudit.CallerOf(context.GetHttpContext().User);
        var byLevel = audit.ByLevel();
        var byOutcome = audit.ByOutcome();
        _logger.LogInformation(
            "{Rpc} by {Caller} ({Visibility}): {Status} in {ElapsedMs:0.0} ms; filter {Filter}; returned {Returned} {ByLevel}; ingest {ByOutcome}",
            rpc, caller, callers.Of(context), status, Stopwatch.GetElapsedTime(started).TotalMilliseconds, audit.Filter,
            byLevel.Values.Sum(), byLevel, byOutcome);
        s_calls.Add(1, new("rpc", rpc), new("status", status.ToString()));
        foreach (var (level, count) in byLevel)
        {
            s_returned.Add(count, new("rpc", rpc), new("level", level));
        }
    }

    private sealed class CountingWriter<T>(IServerStreamWriter<T> inner, CallAudit audit) : IServerStreamWriter<T>
    {
        public WriteOptions? WriteOptions
        {
            get => inner.WriteOptions;
            set => inner.WriteOptions = value;
        }

        public async Task WriteAsync(T message)
        {
            await inner.WriteAsync(message);
            audit.Sent(message!);
        }

        public async Task WriteAsync(T message, CancellationToken cancellationToken)
        {
            await inner.WriteAsync(message, cancellationToken);
            audit.Sent(message!);
        }
    }
}
