using System.Text;

namespace Cables.Cli.Tests.EndToEnd;

/// <summary>cablectl watch against the real service: it prints cables as they are ingested and resumes from its state file.</summary>
public sealed class WatchEndToEndTests(ServiceHost service) : IClassFixture<ServiceHost>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Watch_prints_cables_as_they_arrive_and_a_second_run_resumes_from_the_state_file()
    {
        var pages = Directory.GetFiles(SharedFolder.Path("corpus", "formats", "html"), "*.html").Order(StringComparer.Ordinal).Take(6).ToArray();
        var ids = pages.Select(Path.GetFileNameWithoutExtension).ToArray();
        var state = Path.Combine(Path.GetTempPath(), $"cablectl-watch-{Guid.NewGuid():N}.state");
        try
        {
            await using (var first = RunningWatch.Start(service, "--format", "ids", "--state", state))
            {
                await Poll.UntilAsync(() => File.Exists(state), s_timeout, "the state file"); // the first heartbeat's position
                await IngestAsync(pages[..3]);
                await Poll.UntilAsync(() => first.Lines.Length >= 3, s_timeout, "three cables printed");
                Assert.Equal(0, await first.StopAsync());
                Assert.Equal(ids[..3].Order(StringComparer.Ordinal), first.Lines.Order(StringComparer.Ordinal));
            }

            await IngestAsync(pages[3..]); // while nothing watches

            await using var second = RunningWatch.Start(service, "--format", "ids", "--state", state);
            await Poll.UntilAsync(() => second.Lines.Length >= 3, s_timeout, "three cables printed after resuming");
            await Task.Delay(500);
            Assert.Equal(0, await second.StopAsync());
            Assert.Equal(ids[3..].Order(StringComparer.Ordinal), second.Lines.Order(StringComparer.Ordinal));
        }
        finally
        {
            File.Delete(state);
        }
    }

    private async Task IngestAsync(string[] paths)
    {
        var rejects = Path.Combine(Path.GetTempPath(), $"cablectl-watch-{Guid.NewGuid():N}.jsonl");
        var (exitCode, output, error) = await service.RunAsync(["ingest", .. paths, "--rejects", rejects]);
        File.Delete(rejects);
        Assert.True(exitCode == 0, $"ingest failed ({exitCode}): {output} {error}");
    }

    /// <summary>cablectl watch running in-process until stopped, as Ctrl-C would stop it.</summary>
    private sealed class RunningWatch : IAsyncDisposable
    {
        private readonly LockedWriter _output = new();
        private readonly StringWriter _error = new();
        private readonly CancellationTokenSource _interrupt = new();
        private readonly Task<int> _run;

        private RunningWatch(string[] args) =>
            _run = Program.CreateRootCommand().Parse(["watch", .. args]).InvokeAsync(new() { Output = _output, Error = _error }, _interrupt.Token);

        public string[] Lines => _output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        public static RunningWatch Start(ServiceHost service, params string[] args) => new([.. args, "--server", service.Address.ToString()]);

        public async Task<int> StopAsync()
        {
            await _interrupt.CancelAsync();
            return await _run;
        }

        public async ValueTask DisposeAsync()
        {
            await _interrupt.CancelAsync();
            await ((Task)_run).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _interrupt.Dispose();
            _output.Dispose();
            _error.Dispose();
        }
    }

    /// <summary>
    /// Text the test may read while the command writes. Every Write and WriteLine of TextWriter ends in one of the two
    /// overrides, so the lock covers them all.
    /// </summary>
    private sealed class LockedWriter : TextWriter
    {
        private readonly StringBuilder _text = new();
        private readonly Lock _lock = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_lock)
            {
                _text.Append(value);
            }
        }

        public override void Write(char[] buffer, int index, int count)
        {
            lock (_lock)
            {
                _text.Append(buffer, index, count);
            }
        }

        public override string ToString()
        {
            lock (_lock)
            {
                return _text.ToString();
            }
        }
    }
}
