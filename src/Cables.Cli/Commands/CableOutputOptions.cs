using System.CommandLine;

namespace Cables.Cli.Commands;

/// <summary>The <c>--full</c> and <c>--format table|jsonl|ids</c> options of the commands that print cables as they stream.</summary>
public sealed class CableOutputOptions
{
    private readonly Option<bool> _full = new("--full") { Description = "Include body, paragraphs and raw text (jsonl)" };
    private readonly Option<string> _format;

    /// <param name="jsonl">What a jsonl line holds, for the help.</param>
    public CableOutputOptions(string jsonl)
    {
        _format = new("--format") { Description = $"table (people), jsonl (programs: {jsonl}) or ids", DefaultValueFactory = _ => "table" };
        _format.AcceptOnlyFromAmong("table", "jsonl", "ids");
    }

    /// <summary>Adds both options to <paramref name="command"/>, and returns it.</summary>
    public Command AddTo(Command command)
    {
        command.Options.Add(_full);
        command.Options.Add(_format);
        return command;
    }

    public V1.CableView View(ParseResult result) => result.GetValue(_full) ? V1.CableView.Full : V1.CableView.Basic;

    public string Format(ParseResult result) => result.GetValue(_format) ?? "table";
}
