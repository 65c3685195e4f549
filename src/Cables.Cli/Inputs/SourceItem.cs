using Cables.Parsing.Model;

namespace Cables.Cli.Inputs;

/// <summary>
/// One cable read from an input: its source name (<c>path</c>, or <c>path#N</c> for row N of a CSV file)
/// and either the unwrapped cable or why it could not be read.
/// </summary>
public sealed record SourceItem(string Source, RawCable? Cable, string? Error)
{
    public static SourceItem Read(string source, RawCable cable) => new(source, cable, null);

    public static SourceItem Failed(string source, string error) => new(source, null, error);
}
