using System.Runtime.InteropServices;

namespace Cables.Cli;

/// <summary>
/// SIGINT (Ctrl-C) and SIGTERM (kill, docker stop, systemd) cancel the running command's token at any point; the
/// command then has <see cref="GracePeriod"/> to finish (an ingest writes its files and prints its summary) before
/// the process exits anyway, whatever the command is blocked on. The exit code is 128 plus the signal's number, as a
/// shell reports a process the signal ended: 130 after SIGINT, 143 after SIGTERM. A second signal ends the process
/// at once, by the runtime's default action.
/// </summary>
internal sealed class Interruption : IDisposable
{
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private int _exitCode;

    public Interruption()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => OnSignal(context, 128 + 2));
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => OnSignal(context, 128 + 15));
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>The command's exit code; once a signal came, the signal's, when the command ends or the grace period does.</summary>
    public async Task<int> ExitCodeAsync(Task<int> command)
    {
        var exitCode = 0;
        try
        {
            exitCode = await command.WaitAsync(_cancel.Token);
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
            try
            {
                await command.WaitAsync(GracePeriod); // let the command wind up
            }
            catch (Exception)
            {
                // ended by its cancellation, or still blocked (a long parse, a write to a stalled pipe) and left behind
            }
        }

        // The signal cancels the command's token and the wait above in no fixed order: a command that ended on the
        // signal before the wait saw it still exits with the signal's code, not the one it returned when cancelled.
        return Volatile.Read(ref _exitCode) is var signalled and not 0 ? signalled : exitCode;
    }

    private void OnSignal(PosixSignalContext context, int exitCode)
    {
        if (Interlocked.CompareExchange(ref _exitCode, exitCode, 0) != 0)
        {
            return; // the second signal: not cancelled, so the runtime ends the process
        }

        context.Cancel = true;
        _cancel.Cancel();
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _cancel.Dispose();
    }
}
