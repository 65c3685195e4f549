namespace CableService.Security;

/// <summary>
/// Per-caller limits (configuration section <c>Cables:Quotas</c>); 0 turns a limit off. Streams open at once per caller
/// are <c>Cables:Grpc:MaxStreamsPerCaller</c>.
/// </summary>
public sealed class QuotaOptions
{
    public const string Section = "Cables:Quotas";

    /// <summary>Calls with a full-text filter (StreamCables, ListCables, CountCables) one caller may start per minute.</summary>
    public int FullTextCallsPerMinute { get; set; }
}
