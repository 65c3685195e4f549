using Cables.Parsing.Model;

namespace Cables.Parsing.Fields;

/// <summary>TO and INFO addressees of a telegram header. Stub until parser-fields lands.</summary>
public static class Recipients
{
    public static IReadOnlyList<Recipient> ParseTo(string header) => [];

    public static IReadOnlyList<Recipient> ParseInfo(string header) => [];
}
