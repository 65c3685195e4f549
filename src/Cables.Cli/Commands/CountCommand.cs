using System.CommandLine;
using Grpc.Core;
using V1 = Cables.Api.V1;

namespace Cables.Cli.Commands;

/// <summary><c>cablectl count [filters]</c>: how many cables match the same filters as <c>query</c>.</summary>
public static class CountCommand
{
    public static Command Create(CablesConnector connect)
    {
        var filters = new FilterOptions();
        var server = ServerOption.Create();
        var command = new Command("count", "Count the cables matching the filters");
        foreach (var option in filters.All)
        {
            command.Options.Add(option);
        }

        command.Options.Add(server);
        command.SetAction(async (result, cancellationToken) =>
        {
            if (ServerOption.Resolve(result, server, "count") is not { } address)
            {
                return 2;
            }

            using var connection = connect(address);
            try
            {
                var response = await connection.Client.CountCablesAsync(
                    new V1.CountCablesRequest { Filter = filters.ToFilter(result) }, cancellationToken: cancellationToken);
                await result.InvocationConfiguration.Output.WriteLineAsync(response.Count.ToString());
                return 0;
            }
            catch (RpcException ex)
            {
                return await RpcErrors.ReportAsync(result.InvocationConfiguration.Error, "count", ex, address.ToString());
            }
        });
        return command;
    }
}
