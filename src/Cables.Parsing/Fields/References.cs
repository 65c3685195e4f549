using Cables.Parsing.Model;

namespace Cables.Parsing.Fields;

/// <summary>REF lists: cable ids (canonical; a reference without a year takes <paramref name="year"/>) and typed non-cable references. Stub until parser-fields lands.</summary>
public static class References
{
    public static IReadOnlyList<CableReference> Parse(string content, int year, string? referenceId) => [];
}
