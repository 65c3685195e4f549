using System.Diagnostics.Metrics;
using System.Security.Claims;
using CableService.Telemetry;
using Google.Rpc;

namespace CableService.Security;

/// <summary>
/// The audit trail of access: one structured log event (category <c>CableService.Audit</c>) and one metric point per
/// denial, naming the caller, the RPC and the reason. Never a cable's text.
/// </summary>
public sealed class AuthAudit(ILoggerFactory loggers)
{
    public const string Category = "CableService.Audit";

    private static readonly Meter s_meter = new(CableTelemetry.Name);

    private static readonly Counter<long> s_denials =
        s_meter.CreateCounter<long>("cables.audit.denials", "{call}", "Calls refused by authentication or authorization, by RPC and reason");

    private readonly ILogger _logger = loggers.CreateLogger(Category);

    /// <summary>The caller's name for the audit: the token's subject (or client id), else <c>anonymous</c>.</summary>
    public static string CallerOf(ClaimsPrincipal user) =>
        user.FindFirst("sub")?.Value ?? user.FindFirst("client_id")?.Value ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value
        ?? user.Identity?.Name ?? "anonymous";

    public void Denied(HttpContext context, Google.Rpc.Status status)
    {
        var reason = status.Details.Select(d => d.TryUnpack<ErrorInfo>(out var info) ? info.Reason : null).FirstOrDefault(r => r is not null) ?? "";
        var code = ((Code)status.Code).ToString();
        var rpc = context.Request.Path.Value ?? "";
        _logger.LogWarning("Denied {Rpc} to {Caller}: {Code} {Reason}", rpc, CallerOf(context.User), code, reason);
        s_denials.Add(1, new("rpc", rpc), new("code", code), new("reason", reason));
    }
}
