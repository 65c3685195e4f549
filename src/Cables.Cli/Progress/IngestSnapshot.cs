using Cables.Cli.Ingestion;
using Cables.Cli.Inputs;

namespace Cables.Cli.Progress;

/// <summary>Where a run stands at one moment, with the rates and estimate the displays show.</summary>
public sealed record IngestSnapshot(
    TimeSpan Elapsed,
    long Acknowledged,
    long Created,
    long Unchanged,
    long Revised,
    long Rejected,
    long Skipped,
    long InFlight,
    long Reconnects,
    long BytesAcknowledged,
    long BytesRead,
    long TotalBytes)
{
    public static IngestSnapshot Take(IngestCounters counters, CableSource source, TimeSpan elapsed) => new(
        elapsed,
        counters.Acknowledged,
        counters.Created,
        counters.Unchanged,
        counters.Revised,
        counters.Rejected,
        counters.Skipped,
        counters.InFlight,
        counters.Reconnects,
        counters.BytesAcknowledged,
        source.BytesRead,
        source.TotalBytes);

    public double CablesPerSecond => Acknowledged / Math.Max(Elapsed.TotalSeconds, 0.001);

    public double MegabytesPerSecond => BytesAcknowledged / 1e6 / Math.Max(Elapsed.TotalSeconds, 0.001);

    /// <summary>Share of the input bytes read (what the rates' remaining time is estimated from).</summary>
    public double Fraction => TotalBytes == 0 ? 1 : Math.Clamp((double)BytesRead / TotalBytes, 0, 1);

    /// <summary>Remaining time at the input read rate so far; null until there is a rate to go by.</summary>
    public TimeSpan? Eta => Fraction is > 0.001 and < 1 && Elapsed > TimeSpan.FromSeconds(1)
        ? Elapsed * ((1 - Fraction) / Fraction)
        : null;

    public string Outcomes =>
        $"created {Created:N0}, unchanged {Unchanged:N0}, revised {Revised:N0}, rejected {Rejected:N0}" + (Skipped > 0 ? $", skipped {Skipped:N0} (resume)" : "");

    public static string Duration(TimeSpan time) => time.TotalHours >= 1 ? time.ToString(@"h\:mm\:ss") : time.ToString(@"m\:ss");
}
