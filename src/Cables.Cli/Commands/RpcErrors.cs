using Google.Rpc;
using Grpc.Core;

namespace Cables.Cli.Commands;

/// <summary>Prints a failed call the way a person can act on: status, message, and each bad field.</summary>
public static class RpcErrors
{
    /// <summary>Exit code of a command whose call failed.</summary>
    public const int ExitCode = 1;

    public static async Task<int> ReportAsync(TextWriter error, string command, RpcException exception, string server)
    {
        var message = exception.StatusCode == StatusCode.Unavailable
            ? $"cablectl {command}: cannot reach the service at {server}: {exception.Status.Detail}"
            : $"cablectl {command}: {exception.StatusCode}: {exception.Status.Detail}";
        await error.WriteLineAsync(message);

        var badRequest = exception.GetRpcStatus()?.GetDetail<BadRequest>();
        if (badRequest is not null)
        {
            foreach (var violation in badRequest.FieldViolations)
            {
                await error.WriteLineAsync($"  {violation.Field}: {violation.Description}");
            }
        }

        return ExitCode;
    }
}
