using System.CommandLine;
using Cables.Cli.Commands;

namespace Cables.Cli;

/// <summary>cablectl: parse cables locally, bulk-ingest them into the service, and query it.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // Signals are handled here, not by System.CommandLine (ProcessTerminationTimeout = null): one rule for every command.
        using var interruption = new Interruption();
        var configuration = new InvocationConfiguration { ProcessTerminationTimeout = null };
        return await interruption.ExitCodeAsync(CreateRootCommand().Parse(args).InvokeAsync(configuration, interruption.Token));
    }

    /// <param name="connect">How commands reach the service; tests pass an in-process server or a fake.</param>
    public static RootCommand CreateRootCommand(CablesConnector? connect = null)
    {
        connect ??= CablesConnection.Open;
        var root = new RootCommand("cablectl: parse, ingest and query US State Department cables")
        {
            ParseCommand.Create(),          // issue #2: local parsing to JSON lines
            IngestCommand.Create(connect),  // issue #4: bulk load with a window, resume and reconnect
            QueryCommand.Create(connect),   // issue #4: stream matching cables (table, jsonl, ids)
            GetCommand.Create(connect),     // one cable as JSON
            CountCommand.Create(connect),   // how many match the query's filters
            HistoryCommand.Create(connect), // the stored versions of one cable
            DiffCommand.Create(connect),    // what changed between two versions
            DevTokenCommand.Create(),       // a development token the service can be told to trust
            WatchCommand.Create(connect),   // cables as they are created or revised
        };
        foreach (var option in ServerOption.CreateCredentials())
        {
            root.Options.Add(option);
        }

        return root;
    }
}
