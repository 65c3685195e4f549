namespace Cables.Parsing.Fields;

/// <summary>SUBJECT: whole, multi-line, marking removed. Stub until parser-fields lands.</summary>
public static class Subjects
{
    public static string? Parse(string content) => null;
}
