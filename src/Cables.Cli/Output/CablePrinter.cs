namespace Cables.Cli.Output;

/// <summary>Cables one a line as they arrive, in the <c>--format</c> asked for: a table, JSON lines or reference ids.</summary>
public sealed class CablePrinter(string format, TextWriter output)
{
    private readonly CableTable _table = new(output);

    /// <summary>Prints <paramref name="cable"/>; as jsonl, the line <paramref name="jsonl"/> makes of it (default: the cable's JSON).</summary>
    public Task WriteAsync(V1.Cable cable, Func<V1.Cable, string>? jsonl = null) => format switch
    {
        "jsonl" => output.WriteLineAsync(jsonl is null ? CableJson.Format(cable) : jsonl(cable)),
        "ids" => output.WriteLineAsync(cable.ReferenceId),
        _ => _table.WriteAsync(cable),
    };
}
