namespace Cables.Parsing.Fields;

/// <summary>The summary (SUMMARY: … END SUMMARY and its variants). Stub until parser-fields lands.</summary>
public static class Summaries
{
    public static string? Parse(string content, string? referenceId) => null;
}
