using Cables.Parsing.Model;

namespace Cables.Parsing.Formats;

/// <summary>Streams rows of the cables.csv dump as telegram text plus the row's metadata. Stub until parser-fields lands.</summary>
public static class CablesCsv
{
    public static IEnumerable<RawCable> ReadRows(TextReader reader) => [];
}
