using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Google.Protobuf;

namespace Cables.Cli.Output;

/// <summary>
/// The one JSON shape cablectl prints a cable in (parse, query --format jsonl, get): the protobuf JSON
/// mapping (lowerCamelCase names, RFC 3339 times, default values omitted), compact, with two changes:
/// an optional leading <c>source</c>, and <c>classification</c> as its archive label
/// (<c>SECRET//NOFORN</c>) rather than the level/caveats/label message: the label is what people and
/// the archive use, and level and caveats follow from it.
/// </summary>
public static class CableJson
{
    private static readonly JsonFormatter s_formatter = new(JsonFormatter.Settings.Default);

    // Output is for terminals and programs, never embedded in HTML: keep ¶ and accents readable.
    private static readonly JsonWriterOptions s_compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions s_indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true };

    public static string Format(V1.Cable cable, string? source = null, bool indented = false)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, indented ? s_indented : s_compact))
        {
            using var document = JsonDocument.Parse(s_formatter.Format(cable));
            writer.WriteStartObject();
            if (source is not null)
            {
                writer.WriteString("source", source);
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.NameEquals("classification"))
                {
                    if (cable.Classification.Label.Length > 0)
                    {
                        writer.WriteString("classification", cable.Classification.Label);
                    }
                }
                else
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The line printed for an input that could not be read or parsed.</summary>
    public static string FormatError(string source, string error)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, s_compact))
        {
            writer.WriteStartObject();
            writer.WriteString("source", source);
            writer.WriteString("error", error);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
