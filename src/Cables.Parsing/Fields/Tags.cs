using Cables.Parsing.Model;

namespace Cables.Parsing.Fields;

public sealed record TagsResult(IReadOnlyList<CableTag> Tags, IReadOnlyList<string> Raw);

/// <summary>TAGS line: normalised tags and their kinds. Stub until parser-fields lands.</summary>
public static class Tags
{
    public static TagsResult Parse(string content) => new([], []);

    public static TagKind KindOf(string tag) => TagKind.Unknown;
}
