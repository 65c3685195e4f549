namespace Cables.Parsing.Fields;

/// <summary>The E.O. line's declassification deadline. Stub until parser-fields lands.</summary>
public static class Declassification
{
    public static DateOnly? Parse(string content) => null;
}
