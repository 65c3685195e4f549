using System.CommandLine;
using Cables.Cli.Output;
using Grpc.Core;
using V1 = Cables.Api.V1;

namespace Cables.Cli.Commands;

/// <summary><c>cablectl diff ID [--from N] [--to M]</c>: what changed between two versions of a cable, as a unified diff.</summary>
public static class DiffCommand
{
    public static Command Create(CablesConnector connect)
    {
        var id = new Argument<string>("ID") { Description = "Reference id, e.g. 08BRUSSELS1390" };
        var from = new Option<int?>("--from") { Description = "Older revision (default: the one before --to)", HelpName = "N" };
        var to = new Option<int?>("--to") { Description = "Newer revision (default: the current one)", HelpName = "M" };
        var context = new Option<int?>("--context", "-U") { Description = "Unchanged lines around each change (default 3)", HelpName = "LINES" };
        var server = ServerOption.Create();
        var command = new Command("diff", "Show what changed between two versions of one cable (unified diff)") { id, from, to, context, server };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (ServerOption.Resolve(result, server, "diff") is not { } address)
            {
                return 2;
            }

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

            using var connection = connect(address);
            try
            {
                var diff = await connection.Client.DiffCableRevisionsAsync(request, cancellationToken: cancellationToken);
                var writer = result.InvocationConfiguration.Output;
                await UnifiedDiff.WriteAsync(writer, diff, UnifiedDiff.ColorsFor(writer));
                return 0;
            }
            catch (RpcException ex)
            {
                return await RpcErrors.ReportAsync(result.InvocationConfiguration.Error, "diff", ex, address.ToString());
            }
        });
        return command;
    }
}
