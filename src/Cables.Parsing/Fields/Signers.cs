namespace Cables.Parsing.Fields;

/// <summary>Signers at the end of a cable. Stub until parser-fields lands.</summary>
public static class Signers
{
    public static IReadOnlyList<string> Parse(string content) => [];
}
