namespace Cables.Bench.Generate;

/// <summary>The cables.csv dialect: fields in double quotes, <c>\</c>, <c>"</c> and <c>'</c> escaped with a backslash, raw newlines kept.</summary>
public static class CsvText
{
    public static string Escape(string text) =>
        text.AsSpan().IndexOfAny('\\', '"', '\'') < 0
            ? text
            : text.Replace("\\", "\\\\", StringComparison.Ordinal)
                .Replace("\"", "\\\"", StringComparison.Ordinal)
                .Replace("'", "\\'", StringComparison.Ordinal);
}
