using System.Text;
using Microsoft.Extensions.Logging;

namespace Cables.Testing;

/// <summary>
/// Keeps what test hosts log (at the levels their configuration lets through) in one file per test process, so a
/// failure's server side can be read after the run: the test runner does not show a test host's console. The folder
/// is <c>CABLES_TEST_LOGS</c> when set (tests/run.sh sets it and prints the errors of a failed run), else the temp folder.
/// </summary>
public sealed class TestHostLog : ILoggerProvider
{
    private static readonly Lock s_write = new();
    private static readonly string s_path = Path.Combine(
        Environment.GetEnvironmentVariable("CABLES_TEST_LOGS") is { Length: > 0 } folder ? folder : Path.GetTempPath(),
        $"cables-test-host-{Environment.ProcessId}.log");

    private readonly string _host;

    public TestHostLog(string host)
    {
        _host = host;
    }

    /// <summary>The file this process's hosts write to.</summary>
    public static string FilePath => s_path;

    public ILogger CreateLogger(string categoryName) => new FileLogger(_host, categoryName);

    public void Dispose()
    {
    }

    private sealed class FileLogger(string host, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new StringBuilder()
                .Append(DateTime.UtcNow.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture))
                .Append(' ').Append(logLevel).Append(' ').Append(host).Append(' ').Append(category).Append(": ")
                .Append(formatter(state, exception));
            if (exception is not null)
            {
                line.AppendLine().Append(exception);
            }

            line.AppendLine();
            lock (s_write)
            {
                File.AppendAllText(s_path, line.ToString());
            }
        }
    }
}
