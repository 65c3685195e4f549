namespace CableService.Security;

/// <summary>Per-caller limits (configuration section <c>Cables:Quotas</c>); 0 turns a limit off.</summary>
public sealed class QuotaOptions
{
    public const string Section = "Cables:Quotas";

    /// <summary>StreamCables and IngestCables calls one caller may have open at once.</summary>
    public int ConcurrentStreams { get; set; }

    /// <summary>Calls with a full-text filter (StreamCables, ListCables, CountCables) one caller may start per minute.</summary>
    public int FullTextCallsPerMinute { get; set; }
}
