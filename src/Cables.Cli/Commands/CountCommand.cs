using System.CommandLine;

namespace Cables.Cli.Commands;

/// <summary><c>cablectl count [filters]</c>: how many cables match the same filters as <c>query</c>.</summary>
public static class CountCommand
{
    public static Command Create(CablesConnector connect)
    {
        var filters = new FilterOptions();
        return filters.AddTo(new Command("count", "Count the cables matching the filters")).WithServiceAction(connect, async (result, connection, cancellationToken) =>
        {
            var response = await connection.Client.CountCablesAsync(
                new V1.CountCablesRequest { Filter = filters.ToFilter(result) }, cancellationToken: cancellationToken);
            await result.InvocationConfiguration.Output.WriteLineAsync(response.Count.ToString());
            return 0;
        });
    }
}
