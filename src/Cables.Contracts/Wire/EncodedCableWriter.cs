using System.Buffers;
using System.Text;
using Cables.Api.V1.Mapping;
using Google.Protobuf;
using Model = Cables.Parsing.Model;

namespace Cables.Api.V1.Wire;

/// <summary>
/// Puts an encoded <see cref="Cable"/> together from parts encoded apart, without building the message: the store
/// keeps a cable's parsed fields (1-18) encoded at ingest and adds its own fields (19-22) and the FULL view's texts
/// (30-32) when it reads. Parts go in field-number order, as Google.Protobuf writes a whole message, so the bytes equal
/// those of <c>message.ToByteArray()</c>. One writer builds one cable at a time; reuse it after <see cref="ToArray"/>.
/// </summary>
public sealed class EncodedCableWriter
{
    // Tags of the FULL fields: (number << 3) | 2 (length-delimited), as varints.
    private static ReadOnlySpan<byte> BodyTag => [0xF2, 0x01];

    private static ReadOnlySpan<byte> ParagraphTag => [0xFA, 0x01];

    private static ReadOnlySpan<byte> RawTextTag => [0x82, 0x02];

    private const byte ParagraphNumberTag = (1 << 3) | 0;
    private const byte ParagraphMarkingTag = (2 << 3) | 2;
    private const byte ParagraphTextTag = (3 << 3) | 2;

    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);

    /// <summary>Bytes already encoded as <see cref="Cable"/> fields, e.g. <see cref="StoredCableParts.EncodeParsedFields"/>.</summary>
    public void WriteEncoded(ReadOnlySpan<byte> fields) => _buffer.Write(fields);

    /// <summary>The store's fields (19-22): content hash, when ingested and revised, revisions kept.</summary>
    public void WriteStoreFields(string contentSha256Hex, DateTime ingestedAt, DateTime? revisedAt, int revisionCount)
    {
        var fields = new Cable
        {
            ContentSha256 = contentSha256Hex,
            Ingested = CableMessages.ToTimestamp(ingestedAt),
            Revised = CableMessages.ToTimestamp(revisedAt),
            RevisionCount = revisionCount,
        };
        var size = fields.CalculateSize();
        fields.WriteTo(_buffer.GetSpan(size)[..size]);
        _buffer.Advance(size);
    }

    /// <summary>Field 30, the body, from its UTF-8; an empty body is left out, as proto3 leaves out an empty string.</summary>
    public void WriteBody(ReadOnlySpan<byte> utf8) => WriteString(BodyTag, utf8);

    /// <summary>One entry of field 31: a paragraph from its number (0 when unnumbered) and the UTF-8 of marking and text.</summary>
    public void WriteParagraph(int number, ReadOnlySpan<byte> marking, ReadOnlySpan<byte> text)
    {
        WriteParagraphStart(number, marking.Length, text.Length);
        WriteString(ParagraphMarkingTag, marking);
        WriteString(ParagraphTextTag, text);
    }

    /// <summary>One entry of field 31 from the parser's paragraph, its strings encoded straight into the buffer.</summary>
    public void WriteParagraph(Model.Paragraph paragraph) => WriteParagraph(paragraph.Number ?? 0, paragraph.Marking, paragraph.Text);

    /// <summary>One entry of field 31 from number (0 when unnumbered), marking and text, encoded straight into the buffer.</summary>
    public void WriteParagraph(int number, string? marking, ReadOnlySpan<char> text)
    {
        var markingBytes = marking is null ? 0 : Encoding.UTF8.GetByteCount(marking);
        var textBytes = Encoding.UTF8.GetByteCount(text);
        WriteParagraphStart(number, markingBytes, textBytes);
        WriteString(ParagraphMarkingTag, marking, markingBytes);
        WriteString(ParagraphTextTag, text, textBytes);
    }

    /// <summary>Field 32, the raw text, from its UTF-8.</summary>
    public void WriteRawText(ReadOnlySpan<byte> utf8) => WriteString(RawTextTag, utf8);

    /// <summary>The cable written so far, as one array; the writer is empty again afterwards.</summary>
    public byte[] ToArray()
    {
        var message = _buffer.WrittenSpan.ToArray();
        _buffer.ResetWrittenCount();
        return message;
    }

    /// <summary>The entry's tag and length, then its number: what precedes marking and text, whose UTF-8 lengths it needs.</summary>
    private void WriteParagraphStart(int number, int markingBytes, int textBytes)
    {
        var size = (number == 0 ? 0 : 1 + VarintSize(number))
            + (markingBytes == 0 ? 0 : 1 + VarintSize(markingBytes) + markingBytes)
            + (textBytes == 0 ? 0 : 1 + VarintSize(textBytes) + textBytes);
        _buffer.Write(ParagraphTag);
        WriteVarint((uint)size);
        if (number != 0)
        {
            WriteByte(ParagraphNumberTag);
            WriteVarint(number);
        }
    }

    private void WriteString(ReadOnlySpan<byte> tag, ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return;
        }

        _buffer.Write(tag);
        WriteVarint((uint)utf8.Length);
        _buffer.Write(utf8);
    }

    private void WriteString(byte tag, ReadOnlySpan<byte> utf8) => WriteString([tag], utf8);

    private void WriteString(byte tag, ReadOnlySpan<char> value, int utf8Length)
    {
        if (utf8Length == 0)
        {
            return;
        }

        WriteByte(tag);
        WriteVarint((uint)utf8Length);
        _buffer.Advance(Encoding.UTF8.GetBytes(value, _buffer.GetSpan(utf8Length)));
    }

    private void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    /// <summary>An int32 as protobuf writes it: a negative value takes ten bytes, sign-extended.</summary>
    private void WriteVarint(int value) => WriteVarint(unchecked((ulong)(long)value));

    private void WriteVarint(ulong value) => _buffer.Advance(Varint.Write(_buffer.GetSpan(Varint.MaxLength), value));

    private static int VarintSize(int value) => value < 0 ? 10 : CodedOutputStream.ComputeUInt32Size((uint)value);
}
