using System.CommandLine;
using Cables.Cli.Output;

namespace Cables.Cli.Commands;

/// <summary><c>cablectl diff ID [--from N] [--to M]</c>: what changed between two versions of a cable, as a unified diff.</summary>
public static class DiffCommand
{
    public static Command Create(CablesConnector connect)
    {
        var id = ReferenceIdArgument.Create();
        var from = new Option<int?>("--from") { Description = "Older revision (default: the one before --to)", HelpName = "N" };
        var to = new Option<int?>("--to") { Description = "Newer revision (default: the current one)", HelpName = "M" };
        var context = new Option<int?>("--context", "-U") { Description = "Unchanged lines around each change (default 3)", HelpName = "LINES" };
        var command = new Command("diff", "Show what changed between two versions of one cable (unified diff)") { id, from, to, context };
        return command.WithServiceAction(connect, async (result, connection, cancellationToken) =>
        {
            var request = new V1.DiffCableRevisionsRequest { ReferenceId = result.GetRequiredValue(id) };
            if (result.GetValue(from) is { } fromRevision)
            {
                request.FromRevision = fromRevision;
            }

            if (result.GetValue(to) is { } toRevision)
            {
                request.ToRevision = toRevision;
            }

            if (result.GetValue(context) is { } lines)
            {
                request.ContextLines = lines;
            }

            var diff = await connection.Client.DiffCableRevisionsAsync(request, cancellationToken: cancellationToken);
            var writer = result.InvocationConfiguration.Output;
            await UnifiedDiff.WriteAsync(writer, diff, UnifiedDiff.ColorsFor(writer));
            return 0;
        });
    }
}
