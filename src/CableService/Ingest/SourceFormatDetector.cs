using Cables.Parsing.Model;

namespace CableService.Ingest;

/// <summary>Tells a WikiLeaks page, a cables.csv row and telegram text apart by their first characters.</summary>
public static class SourceFormatDetector
{
    public static SourceFormat Detect(string text)
    {
        var start = text.AsSpan().TrimStart();
        if (start.StartsWith("<"))
        {
            return SourceFormat.WikiLeaksHtml;
        }

        // A cables.csv row opens with its quoted numeric id: "123","12/28/1966 18:48",...
        if (start.Length > 2 && start[0] == '"' && char.IsAsciiDigit(start[1]))
        {
            var close = start[1..].IndexOf('"');
            if (close > 0 && start[1..(close + 1)].ContainsOnly("0123456789") && start[(close + 2)..].StartsWith(","))
            {
                return SourceFormat.CablesCsv;
            }
        }

        return SourceFormat.Telegram;
    }

    private static bool ContainsOnly(this ReadOnlySpan<char> span, string characters) =>
        span.IndexOfAnyExcept(characters) < 0;
}
