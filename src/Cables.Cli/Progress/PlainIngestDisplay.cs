namespace Cables.Cli.Progress;

/// <summary>For logs and pipes (stdout not a terminal): one line every interval, and notices as they happen.</summary>
public sealed class PlainIngestDisplay(TextWriter output, TimeSpan interval) : IIngestDisplay
{
    private readonly Lock _lock = new();

    public async Task ShowAsync(Func<IngestSnapshot> snapshot, Task run)
    {
        while (await Task.WhenAny(run, Task.Delay(interval)) != run)
        {
            Write(Line(snapshot()));
        }
    }

    public void Notice(string message) => Write(message);

    public static string Line(IngestSnapshot s) =>
        $"{IngestSnapshot.Duration(s.Elapsed)} {s.Acknowledged:N0} cables ({s.CablesPerSecond:N0}/s, {s.MegabytesPerSecond:N1} MB/s), {s.Outcomes}; "
        + $"{s.Fraction:P0} read" + (s.Eta is { } eta ? $", ETA {IngestSnapshot.Duration(eta)}" : "");

    private void Write(string line)
    {
        lock (_lock)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
