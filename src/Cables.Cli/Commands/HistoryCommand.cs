using System.CommandLine;
using Cables.Cli.Output;
using Grpc.Core;
using V1 = Cables.Api.V1;

namespace Cables.Cli.Commands;

/// <summary><c>cablectl history ID</c>: every stored version of one cable, newest first, as a table.</summary>
public static class HistoryCommand
{
    private const int PageSize = 50;

    public static Command Create(CablesConnector connect)
    {
        var id = new Argument<string>("ID") { Description = "Reference id, e.g. 08BRUSSELS1390" };
        var server = ServerOption.Create();
        var command = new Command("history", "List the stored versions of one cable, newest first") { id, server };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (ServerOption.Resolve(result, server, "history") is not { } address)
            {
                return 2;
            }

            using var connection = connect(address);
            await using var output = StandardOutput.For(result.InvocationConfiguration.Output);
            var table = new RevisionTable(output.Writer);
            var request = new V1.ListCableRevisionsRequest { ReferenceId = result.GetRequiredValue(id), PageSize = PageSize };
            try
            {
                do
                {
                    var page = await connection.Client.ListCableRevisionsAsync(request, cancellationToken: cancellationToken);
                    foreach (var revision in page.Revisions)
                    {
                        await table.WriteAsync(revision);
                    }

                    request.PageToken = page.NextPageToken;
                }
                while (request.PageToken.Length > 0);

                return 0;
            }
            catch (RpcException ex)
            {
                return await RpcErrors.ReportAsync(result.InvocationConfiguration.Error, "history", ex, address.ToString());
            }
        });
        return command;
    }
}
