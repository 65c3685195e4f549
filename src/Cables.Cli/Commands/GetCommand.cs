using System.CommandLine;
using Cables.Cli.Output;

namespace Cables.Cli.Commands;

/// <summary><c>cablectl get ID [--full]</c>: one cable as (indented) JSON.</summary>
public static class GetCommand
{
    public static Command Create(CablesConnector connect)
    {
        var id = ReferenceIdArgument.Create();
        var full = new Option<bool>("--full") { Description = "Include body, paragraphs and raw text" };
        return new Command("get", "Print one cable as JSON") { id, full }.WithServiceAction(connect, async (result, connection, cancellationToken) =>
        {
            var request = new V1.GetCableRequest
            {
                ReferenceId = result.GetRequiredValue(id),
                View = result.GetValue(full) ? V1.CableView.Full : V1.CableView.Basic,
            };
            var cable = await connection.Client.GetCableAsync(request, cancellationToken: cancellationToken);
            await result.InvocationConfiguration.Output.WriteLineAsync(CableJson.Format(cable, indented: true));
            return 0;
        });
    }
}
