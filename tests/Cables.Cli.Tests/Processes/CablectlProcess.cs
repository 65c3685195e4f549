using System.Diagnostics;
using System.Text;

namespace Cables.Cli.Tests.Processes;

/// <summary>cablectl run as its own process (<c>dotnet cablectl.dll</c>, built beside the tests), to be signalled or killed.</summary>
internal sealed class CablectlProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _error = new();
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _firstOutput = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _outputLines;

    private CablectlProcess(Process process) => _process = process;

    /// <summary>Completes when the first line reaches stdout: the command is at work.</summary>
    public Task FirstOutput => _firstOutput.Task;

    public long OutputLines => Interlocked.Read(ref _outputLines);

    /// <summary>Stdout, keeping only its first 200 lines (a parse prints megabytes).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    public static CablectlProcess Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cablectl.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info };
        var started = new CablectlProcess(process);
        process.OutputDataReceived += (_, e) => started.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (started._error)
                {
                    started._error.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Sends a signal by name (TERM, INT) as a shell would.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-s", signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>SIGKILL: no handler runs, no buffer is flushed.</summary>
    public void Kill() => _process.Kill();

    public bool HasExited => _process.HasExited;

    /// <summary>The CPU time the process has used so far; zero once it has exited.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            try
            {
                _process.Refresh();
                return _process.TotalProcessorTime;
            }
            catch (InvalidOperationException)
            {
                return TimeSpan.Zero; // exited
            }
        }
    }

    /// <summary>The exit code, once the process and its output streams have ended; throws <see cref="TimeoutException"/> first.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"cablectl did not exit within {timeout.TotalSeconds:0} s; stderr: {Error}");
        }

        return _process.ExitCode;
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (Interlocked.Increment(ref _outputLines) <= 200)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }

        _firstOutput.TrySetResult();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
