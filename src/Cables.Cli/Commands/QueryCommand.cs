using System.CommandLine;
using Cables.Cli.Output;
using Grpc.Core;

namespace Cables.Cli.Commands;

/// <summary><c>cablectl query [filters] [--limit N] [--desc] [--full] [--format table|jsonl|ids]</c>: stream matching cables.</summary>
public static class QueryCommand
{
    /// <summary>Reconnections after a broken stream (resuming after the last row received) before giving up.</summary>
    private const int MaxResumes = 5;

    public static Command Create(CablesConnector connect)
    {
        var filters = new FilterOptions();
        var limit = new Option<int>("--limit") { Description = "At most this many cables (0: all)", HelpName = "N" }.AtLeast(0, "0 or more");
        var descending = new Option<bool>("--desc") { Description = "Newest first" };
        var output = new CableOutputOptions(jsonl: "one JSON cable a line");

        var command = filters.AddTo(new Command("query", "Stream the cables matching the filters, oldest first unless --desc"));
        command.Options.Add(limit);
        command.Options.Add(descending);
        return output.AddTo(command).WithServiceAction(connect, async (result, connection, cancellationToken) =>
        {
            var request = new V1.StreamCablesRequest
            {
                Filter = filters.ToFilter(result),
                Limit = result.GetValue(limit),
                Order = result.GetValue(descending) ? V1.SortOrder.CreatedDesc : V1.SortOrder.CreatedAsc,
                View = output.View(result),
            };
            await using var stdout = StandardOutput.For(result.InvocationConfiguration.Output);
            await StreamAsync(connection.Client, request, output.Format(result), stdout.Writer, cancellationToken);
            return 0;
        }, quietWhenInterrupted: true);
    }

    /// <summary>
    /// Writes each cable as it arrives. A stream that breaks after some rows resumes after the last one
    /// received (its resume token), so a long export survives a service restart without duplicates.
    /// </summary>
    public static async Task StreamAsync(V1.CableArchive.CableArchiveClient client, V1.StreamCablesRequest request, string format, TextWriter output, CancellationToken cancellationToken)
    {
        var printer = new CablePrinter(format, output);
        var written = 0;
        for (var resumes = 0; ; resumes++)
        {
            var progressed = false;
            try
            {
                using var call = client.StreamCables(request, cancellationToken: cancellationToken);
                await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    await printer.WriteAsync(response.Cable);
                    written++;
                    progressed = true;
                    request.ResumeToken = response.ResumeToken;
                }

                return;
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.Internal
                && progressed && request.ResumeToken.Length > 0 && resumes < MaxResumes && !cancellationToken.IsCancellationRequested)
            {
                if (request.Limit > 0)
                {
                    request.Limit = Math.Max(1, request.Limit - written);
                    written = 0;
                }

                await Task.Delay(TimeSpan.FromSeconds(1 << resumes), cancellationToken);
            }
        }
    }
}
