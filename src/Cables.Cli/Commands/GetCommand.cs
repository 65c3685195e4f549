using System.CommandLine;
using Cables.Cli.Output;
using Grpc.Core;
using V1 = Cables.Api.V1;

namespace Cables.Cli.Commands;

/// <summary><c>cablectl get ID [--full]</c>: one cable as (indented) JSON.</summary>
public static class GetCommand
{
    public static Command Create(CablesConnector connect)
    {
        var id = new Argument<string>("ID") { Description = "Reference id, e.g. 08BRUSSELS1390" };
        var full = new Option<bool>("--full") { Description = "Include body, paragraphs and raw text" };
        var server = ServerOption.Create();
        var command = new Command("get", "Print one cable as JSON") { id, full, server };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (ServerOption.Resolve(result, server, "get") is not { } address)
            {
                return 2;
            }

            var request = new V1.GetCableRequest
            {
                ReferenceId = result.GetRequiredValue(id),
                View = result.GetValue(full) ? V1.CableView.Full : V1.CableView.Basic,
            };
            using var connection = connect(address);
            try
            {
                var cable = await connection.Client.GetCableAsync(request, cancellationToken: cancellationToken);
                await result.InvocationConfiguration.Output.WriteLineAsync(CableJson.Format(cable, indented: true));
                return 0;
            }
            catch (RpcException ex)
            {
                return await RpcErrors.ReportAsync(result.InvocationConfiguration.Error, "get", ex, address.ToString());
            }
        });
        return command;
    }
}
