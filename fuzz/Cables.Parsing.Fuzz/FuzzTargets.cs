using System.Text;
using Cables.Parsing.Formats;
using Cables.Parsing.Model;

namespace Cables.Parsing.Fuzz;

/// <summary>
/// The parser's entry points for untrusted text, each as a fuzz target: a target throws only on a real fault (the parser
/// failing, or a reader failing otherwise than by refusing its input as unreadable).
/// </summary>
public static class FuzzTargets
{
    public static readonly IReadOnlyDictionary<string, Action<string>> All = new Dictionary<string, Action<string>>(StringComparer.Ordinal)
    {
        ["parse"] = Parse,
        ["html"] = Html,
        ["csv"] = Csv,
    };

    /// <summary>CableParser.Parse never throws by contract: its last-resort warning is the failure.</summary>
    public static void Parse(string text)
    {
        var parsed = CableParser.Parse(text);
        if (parsed.Warnings.FirstOrDefault(w => w.Message.StartsWith("parser failed:", StringComparison.Ordinal)) is { } failed)
        {
            throw new InvalidOperationException(failed.Message);
        }
    }

    /// <summary>The WikiLeaks page reader, then the parse of what it found, as the service runs them.</summary>
    public static void Html(string text)
    {
        var raw = WikiLeaksHtml.Read(text);
        Parse(raw.Text);
    }

    /// <summary>The cables.csv row reader, then the parse of every row.</summary>
    public static void Csv(string text)
    {
        using var reader = new StringReader(text);
        try
        {
            foreach (var row in CablesCsv.Read(reader))
            {
                if (row.Cable is { } cable)
                {
                    Parse(cable.Text);
                }
            }
        }
        catch (InvalidDataException)
        {
            // A refusal of the input, as documented: the service answers UNREADABLE_FORMAT.
        }
    }

    public static string Decode(ReadOnlySpan<byte> data) => Encoding.UTF8.GetString(data);
}
