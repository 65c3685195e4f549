using System.Collections.Concurrent;
using System.Net;
using CableService.Grpc;
using CableService.Hosting;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace CableService.Errors;

/// <summary>Streaming calls open per client address, shared by every call of the host.</summary>
public sealed class CallerStreamCounts
{
    private readonly ConcurrentDictionary<IPAddress, int> _open = new();

    /// <summary>Counts one more stream of <paramref name="caller"/>, unless it has <paramref name="limit"/> open already.</summary>
    public bool TryOpen(IPAddress caller, int limit)
    {
        while (true)
        {
            var open = _open.GetValueOrDefault(caller);
            if (open >= limit)
            {
                return false;
            }

            if (open == 0 ? _open.TryAdd(caller, 1) : _open.TryUpdate(caller, open + 1, open))
            {
                return true;
            }
        }
    }

    public void Close(IPAddress caller)
    {
        while (true)
        {
            var open = _open.GetValueOrDefault(caller);
            if (open <= 1 ? _open.TryRemove(new KeyValuePair<IPAddress, int>(caller, open)) : _open.TryUpdate(caller, open - 1, open))
            {
                return;
            }
        }
    }
}

/// <summary>
/// At most <see cref="GrpcOptions.MaxStreamsPerCaller"/> streaming calls open at once from one client address: one
/// client cannot hold every stream, pipeline and buffer of the host. One more is RESOURCE_EXHAUSTED (CALLER_STREAM_LIMIT).
/// </summary>
public sealed class CallerStreamLimit(CallerStreamCounts counts, IOptions<GrpcOptions> options) : StreamingInterceptor
{
    public const string Reason = "CALLER_STREAM_LIMIT";

    private readonly int _limit = options.Value.MaxStreamsPerCaller;

    protected override async Task AroundStream<TResponse>(
        object? request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        Func<IServerStreamWriter<TResponse>, Task> call)
    {
        var caller = Open(context);
        try
        {
            await call(responseStream);
        }
        finally
        {
            Close(caller);
        }
    }

    private IPAddress? Open(ServerCallContext context)
    {
        if (_limit == 0 || context.GetHttpContext().Connection.RemoteIpAddress is not { } caller)
        {
            return null;
        }

        return counts.TryOpen(caller, _limit)
            ? caller
            : throw RpcErrors.ResourceExhausted(Reason, $"this client has {_limit} streams open, the most one client may; close one or retry later", TimeSpan.FromSeconds(1));
    }

    private void Close(IPAddress? caller)
    {
        if (caller is not null)
        {
            counts.Close(caller);
        }
    }
}
