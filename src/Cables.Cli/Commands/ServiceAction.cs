using System.CommandLine;
using Grpc.Core;

namespace Cables.Cli.Commands;

/// <summary>What a command does with the service once connected; returns the exit code.</summary>
public delegate Task<int> ServiceRun(ParseResult result, CablesConnection connection, CancellationToken cancellationToken);

/// <summary>
/// The frame of a command that calls the service: its <c>--server</c> option, resolving it (exit 2 when it is not usable),
/// one connection, and a failed call reported as the command's failure (<see cref="RpcErrors.ReportAsync"/>).
/// </summary>
public static class ServiceAction
{
    /// <summary>
    /// Adds <c>--server</c> to <paramref name="command"/> and runs <paramref name="run"/> as its action. With
    /// <paramref name="quietWhenInterrupted"/>, a call cancelled by an interruption is not reported: the signal's exit
    /// code says it.
    /// </summary>
    public static Command WithServiceAction(this Command command, CablesConnector connect, ServiceRun run, bool quietWhenInterrupted = false)
    {
        var server = ServerOption.Create();
        command.Options.Add(server);
        command.SetAction(async (result, cancellationToken) =>
        {
            if (ServerOption.Resolve(result, server, command.Name) is not { } address)
            {
                return 2;
            }

            using var connection = connect(address);
            try
            {
                return await run(result, connection, cancellationToken);
            }
            catch (RpcException ex) when (!quietWhenInterrupted || ex.StatusCode != StatusCode.Cancelled || !cancellationToken.IsCancellationRequested)
            {
                return await RpcErrors.ReportAsync(result.InvocationConfiguration.Error, command.Name, ex, address.ToString());
            }
        });
        return command;
    }
}
