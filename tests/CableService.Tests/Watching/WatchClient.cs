using System.Threading.Channels;
using CableService.Watching;
using Cables.Storage;

namespace CableService.Tests.Watching;

/// <summary>
/// A WatchCables call read in the background: every response in arrival order, and ways to wait for some. The
/// positions it decodes use the key every test host signs with.
/// </summary>
public sealed class WatchClient : IAsyncDisposable
{
    public static readonly byte[] TestKey = new byte[32];

    private readonly AsyncServerStreamingCall<Api.WatchCablesResponse> _call;
    private readonly CancellationTokenSource _cancel = new();
    private readonly Channel<Api.WatchCablesResponse> _arrived = Channel.CreateUnbounded<Api.WatchCablesResponse>();
    private readonly Task _reading;
    private Exception? _failure;

    public WatchClient(Api.CableArchive.CableArchiveClient client, Api.WatchCablesRequest request)
    {
        _call = client.WatchCables(request, cancellationToken: _cancel.Token);
        _reading = Task.Run(async () =>
        {
            try
            {
                await foreach (var response in _call.ResponseStream.ReadAllAsync(_cancel.Token))
                {
                    await _arrived.Writer.WriteAsync(response);
                }

                _arrived.Writer.Complete();
            }
            catch (Exception e)
            {
                _failure = e;
                _arrived.Writer.Complete();
            }
        });
    }

    /// <summary>Every response read so far, heartbeats included.</summary>
    public List<Api.WatchCablesResponse> Received { get; } = [];

    /// <summary>The changes (not heartbeats) read so far.</summary>
    public IEnumerable<Api.WatchCablesResponse> Changes => Received.Where(r => r.Kind != Api.ChangeKind.Unspecified);

    /// <summary>The position of the last response read.</summary>
    public string LastPosition => Received[^1].Position;

    public static Api.WatchCablesRequest FromNow(Api.CableFilter? filter = null) => new() { Filter = filter ?? new(), FromNow = true };

    public static Api.WatchCablesRequest From(string position, Api.CableFilter? filter = null) => new() { Filter = filter ?? new(), Position = position };

    public static ChangePosition Decode(string position) =>
        WatchPosition.TryDecode(position, TestKey, out var decoded) ? decoded : throw new InvalidOperationException($"not a position: {position}");

    /// <summary>Reads until <paramref name="done"/> holds for what was received, or fails after <paramref name="timeout"/>.</summary>
    public async Task UntilAsync(Func<WatchClient, bool> done, TimeSpan? timeout = null)
    {
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (!done(this))
        {
            try
            {
                Received.Add(await _arrived.Reader.ReadAsync(limit.Token));
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"the watch did not get there: {Changes.Count()} changes, {Received.Count} responses");
            }
            catch (ChannelClosedException)
            {
                throw new InvalidOperationException($"the watch ended after {Received.Count} responses: {_failure}");
            }
        }
    }

    /// <summary>Reads until <paramref name="count"/> changes arrived.</summary>
    public Task ChangesAsync(int count, TimeSpan? timeout = null) => UntilAsync(w => w.Changes.Count() >= count, timeout);

    /// <summary>Reads what arrives within <paramref name="time"/>.</summary>
    public async Task ForAsync(TimeSpan time)
    {
        using var limit = new CancellationTokenSource(time);
        try
        {
            while (true)
            {
                Received.Add(await _arrived.Reader.ReadAsync(limit.Token));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The status the call ended with, once it ends.</summary>
    public async Task<RpcException> FailureAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var response in _arrived.Reader.ReadAllAsync(limit.Token))
        {
            Received.Add(response);
        }

        await _reading;
        return _failure as RpcException ?? throw new InvalidOperationException($"the watch ended without a status: {_failure}");
    }

    public async ValueTask DisposeAsync()
    {
        await _cancel.CancelAsync();
        await _reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _call.Dispose();
        _cancel.Dispose();
    }
}
