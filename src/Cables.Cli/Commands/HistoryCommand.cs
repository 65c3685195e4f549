using System.CommandLine;
using Cables.Cli.Output;

namespace Cables.Cli.Commands;

/// <summary><c>cablectl history ID</c>: every stored version of one cable, newest first, as a table.</summary>
public static class HistoryCommand
{
    private const int PageSize = 50;

    public static Command Create(CablesConnector connect)
    {
        var id = ReferenceIdArgument.Create();
        var command = new Command("history", "List the stored versions of one cable, newest first") { id };
        return command.WithServiceAction(connect, async (result, connection, cancellationToken) =>
        {
            await using var output = StandardOutput.For(result.InvocationConfiguration.Output);
            var table = new RevisionTable(output.Writer);
            var request = new V1.ListCableRevisionsRequest { ReferenceId = result.GetRequiredValue(id), PageSize = PageSize };
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
        });
    }
}
