using Cables.Parsing.Model;

namespace Cables.Parsing;

/// <summary>Entry point: telegram text (plus what its source states) to <see cref="ParsedCable"/>. Never throws.</summary>
public static class CableParser
{
    // Placeholder until the telegram parser lands (issue #2): keeps the contract callers build on.
    public static ParsedCable Parse(string text, SourceMetadata? metadata = null) =>
        new() { ReferenceId = metadata?.ReferenceId, Created = metadata?.Created, Origin = metadata?.Origin, Body = text };

    public static ParsedCable Parse(RawCable cable) => Parse(cable.Text, cable.Metadata);
}
