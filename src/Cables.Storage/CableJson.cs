using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cables.Api.V1.Wire;
using Cables.Parsing.Model;

namespace Cables.Storage;

/// <summary>The parts of a <see cref="ParsedCable"/> without a column of their own, stored together as jsonb <c>details</c>.</summary>
internal sealed record CableDetails
{
    public IReadOnlyList<CableTag> Tags { get; init; } = [];

    public IReadOnlyList<string> RawTags { get; init; } = [];

    public IReadOnlyList<CableReference> References { get; init; } = [];

    public IReadOnlyList<Classifier> ClassifiedBy { get; init; } = [];

    public IReadOnlyList<string> ClassificationReasons { get; init; } = [];

    public IReadOnlyList<string> Signers { get; init; } = [];

    public IReadOnlyList<ParseWarning> Warnings { get; init; } = [];

    public string? ExecutiveOrder { get; init; }

    public DateOnly? DeclassificationDate { get; init; }

    public bool IsPartialExtract { get; init; }

    public static CableDetails From(ParsedCable cable) => new()
    {
        Tags = cable.Tags,
        RawTags = cable.RawTags,
        References = cable.References,
        ClassifiedBy = cable.ClassifiedBy,
        ClassificationReasons = cable.ClassificationReasons,
        Signers = cable.Signers,
        Warnings = cable.Warnings,
        ExecutiveOrder = cable.ExecutiveOrder,
        DeclassificationDate = cable.DeclassificationDate,
        IsPartialExtract = cable.IsPartialExtract,
    };
}

/// <summary>
/// Source-generated JSON for the jsonb columns. camelCase names are part of the schema: the ingest statement
/// reads <c>header-&gt;'to'</c> and <c>header-&gt;'info'</c> to fill <c>cable_recipients</c>.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(TelegramHeader))]
[JsonSerializable(typeof(CableDetails))]
[JsonSerializable(typeof(IReadOnlyList<Paragraph>))]
internal sealed partial class CableJsonContext : JsonSerializerContext;

/// <summary>The jsonb <c>paragraphs</c> column turned straight into encoded API paragraphs, with no strings in between.</summary>
internal static class ParagraphsJson
{
    /// <summary>Writes each paragraph of <paramref name="json"/> (as <see cref="CableJsonContext"/> writes them, keys in any order).</summary>
    public static void WriteMessages(ReadOnlySpan<byte> json, EncodedCableWriter writer)
    {
        var reader = new Utf8JsonReader(json);
        var marking = new Utf8Value();
        var text = new Utf8Value();
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                throw new InvalidDataException("paragraphs is not a JSON array");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                var number = 0;
                marking.Clear();
                text.Clear();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("number"u8))
                    {
                        reader.Read();
                        number = reader.TokenType == JsonTokenType.Number ? reader.GetInt32() : 0;
                    }
                    else if (reader.ValueTextEquals("marking"u8))
                    {
                        reader.Read();
                        marking.Set(ref reader);
                    }
                    else if (reader.ValueTextEquals("text"u8))
                    {
                        reader.Read();
                        text.Set(ref reader);
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }

                writer.WriteParagraph(number, marking.In(json), text.In(json));
            }
        }
        finally
        {
            marking.Return();
            text.Return();
        }
    }

    /// <summary>A JSON string's UTF-8: where it lies in the JSON, or unescaped into a pooled buffer when it has escapes.</summary>
    private struct Utf8Value
    {
        private byte[]? _buffer;
        private int _start;
        private int _length;
        private bool _escaped;

        public readonly ReadOnlySpan<byte> In(ReadOnlySpan<byte> json) => _escaped ? _buffer.AsSpan(0, _length) : json.Slice(_start, _length);

        public void Set(ref Utf8JsonReader reader)
        {
            Clear();
            if (reader.TokenType != JsonTokenType.String)
            {
                return;
            }

            if (!reader.ValueIsEscaped)
            {
                _start = (int)reader.TokenStartIndex + 1; // after the opening quote
                _length = reader.ValueSpan.Length;
                return;
            }

            var needed = reader.ValueSpan.Length; // unescaped is never longer
            if (_buffer is null || _buffer.Length < needed)
            {
                Return();
                _buffer = ArrayPool<byte>.Shared.Rent(needed);
            }

            _escaped = true;
            _length = reader.CopyString(_buffer);
        }

        public void Clear()
        {
            _escaped = false;
            _start = 0;
            _length = 0;
        }

        public void Return()
        {
            if (_buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = null;
            }
        }
    }
}
