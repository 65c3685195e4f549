using System.CommandLine;
using Cables.Cli.Output;
using Google.Rpc;
using Grpc.Core;

namespace Cables.Cli.Commands;

/// <summary>
/// <c>cablectl watch [filters] [--from POSITION] [--state FILE] [--format table|jsonl|ids] [--full]</c>: print cables
/// as they are created or revised, until interrupted, reconnecting on its own and resuming where it stood.
/// </summary>
public static class WatchCommand
{
    /// <summary>Exit code when the position is older than the service's retention: read again with query, then watch.</summary>
    public const int ExpiredExitCode = 5;

    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(30);

    public static Command Create(CablesConnector connect)
    {
        var filters = new FilterOptions(datePrefix: "created-");
        var from = new Option<string?>("--from") { Description = "Start after this position (printed by jsonl, kept by --state); default: now", HelpName = "POSITION" };
        var state = new Option<string?>("--state") { Description = "Keep the position in this file, and start from it when it exists", HelpName = "FILE" };
        var output = new CableOutputOptions(jsonl: "kind, position and cable a line");

        var command = filters.AddTo(new Command("watch", "Print cables as they are created or revised, from now or from a position, until interrupted"));
        command.Options.Add(from);
        command.Options.Add(state);
        return output.AddTo(command).WithServiceAction(connect, async (result, connection, cancellationToken) =>
        {
            var statePath = result.GetValue(state);
            var position = result.GetValue(from) ?? (statePath is not null ? await WatchState.ReadAsync(statePath, cancellationToken) : null);
            var request = new V1.WatchCablesRequest { Filter = filters.ToFilter(result), View = output.View(result) };
            if (position is { Length: > 0 })
            {
                request.Position = position;
            }
            else
            {
                request.FromNow = true;
            }

            var error = result.InvocationConfiguration.Error;
            try
            {
                await using var stdout = StandardOutput.For(result.InvocationConfiguration.Output);
                var saved = statePath is null ? null : new WatchState(statePath);
                await WatchAsync(connection.Client, request, output.Format(result), stdout.Writer, saved, error, cancellationToken);
                return 0;
            }
            catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
            {
                return 0; // interrupted: the process exits with the signal's code
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.FailedPrecondition)
            {
                await error.WriteLineAsync($"cablectl watch: {ex.Status.Detail}");
                return ExpiredExitCode;
            }
        });
    }

    /// <summary>
    /// Prints each change as it arrives and keeps the position; a call that fails in a way worth retrying (the
    /// service restarting or unreachable) is made again from the last position, after 1, 2, 4… up to 30 seconds.
    /// Output is flushed before a position is saved, so the state file is never ahead of what was printed.
    /// </summary>
    public static async Task WatchAsync(
        V1.CableArchive.CableArchiveClient client, V1.WatchCablesRequest request, string format, TextWriter output, WatchState? state, TextWriter error,
        CancellationToken cancellationToken)
    {
        var printer = new CablePrinter(format, output);
        var backoff = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                using var call = client.WatchCables(request, cancellationToken: cancellationToken);
                await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    backoff = TimeSpan.FromSeconds(1);
                    if (response.Kind != V1.ChangeKind.Unspecified)
                    {
                        await PrintAsync(response, printer);
                    }

                    request.Position = response.Position;
                    if (state is not null && (response.Kind == V1.ChangeKind.Unspecified || state.Due))
                    {
                        await output.FlushAsync(cancellationToken);
                        await state.SaveAsync(response.Position, cancellationToken);
                    }
                }

                return;
            }
            catch (RpcException ex) when (Retryable(ex) && !cancellationToken.IsCancellationRequested)
            {
                if (ex.GetRpcStatus()?.GetDetail<ErrorInfo>() is { } info && info.Metadata.TryGetValue("resume_token", out var resumeAt) && resumeAt.Length > 0)
                {
                    request.Position = resumeAt;
                }

                await error.WriteLineAsync($"cablectl watch: {ex.StatusCode}: {ex.Status.Detail}; reconnecting in {backoff.TotalSeconds:0} s");
                await output.FlushAsync(cancellationToken);
                if (state is not null && request.Position.Length > 0)
                {
                    await state.SaveAsync(request.Position, cancellationToken);
                }

                await Task.Delay(backoff, cancellationToken);
                backoff = backoff * 2 < s_maxBackoff ? backoff * 2 : s_maxBackoff;
            }
            finally
            {
                if (state is not null && request.Position.Length > 0)
                {
                    await output.FlushAsync(CancellationToken.None);
                    await state.SaveAsync(request.Position, CancellationToken.None);
                }
            }
        }
    }

    private static bool Retryable(RpcException ex) => ex.StatusCode is
        StatusCode.Unavailable or StatusCode.Aborted or StatusCode.Internal or StatusCode.Unknown or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted;

    private static Task PrintAsync(V1.WatchCablesResponse response, CablePrinter printer)
    {
        var kind = response.Kind == V1.ChangeKind.Revised ? "REVISED" : "CREATED";
        return printer.WriteAsync(response.Cable, cable => $"{{\"kind\":\"{kind}\",\"position\":\"{response.Position}\",\"cable\":{CableJson.Format(cable)}}}");
    }
}

/// <summary>
/// The position of a watch, kept in a file: replaced whole (written beside it, then renamed over it), so a kill at
/// any moment leaves the previous position or the new one. Saved at most every <see cref="Interval"/> while changes
/// stream, on every heartbeat, and at the end.
/// </summary>
public sealed class WatchState(string path)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private long _savedAt = long.MinValue / 2;
    private string? _saved;

    /// <summary>Whether enough time passed since the last save to save again.</summary>
    public bool Due => Environment.TickCount64 - _savedAt >= Interval.TotalMilliseconds;

    /// <summary>The position in the file, or null when there is none.</summary>
    public static async Task<string?> ReadAsync(string path, CancellationToken ct) =>
        File.Exists(path) && (await File.ReadAllTextAsync(path, ct)).Trim() is { Length: > 0 } position ? position : null;

    public async Task SaveAsync(string position, CancellationToken ct)
    {
        if (position == _saved)
        {
            return;
        }

        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, position + "\n", ct);
        File.Move(temporary, path, overwrite: true);
        _saved = position;
        _savedAt = Environment.TickCount64;
    }
}
