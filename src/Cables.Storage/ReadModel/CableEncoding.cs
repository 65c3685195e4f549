using System.Buffers;
using System.Text;
using Cables.Api.V1;
using Mapping = Cables.Api.V1.Mapping;
using Cables.Parsing;
using Google.Protobuf;
using Model = Cables.Parsing.Model;

namespace Cables.Storage.ReadModel;

/// <summary>
/// The one encoding of a stored cable: the parsed fields are encoded once at ingest (<see cref="EncodeParsedFields"/>),
/// and every read appends the store's fields and, in the FULL view, body, paragraphs and raw text
/// (<see cref="Encode"/>). GetCable, ListCables and StreamCables all send what this writes.
/// </summary>
internal static class CableEncoding
{
    /// <summary>Fields 1-18 of <see cref="Cable"/>: everything a parse gives.</summary>
    public static byte[] EncodeParsedFields(Model.ParsedCable cable) =>
        Mapping.CableMessages.ToApi(cable, full: false).ToByteArray();

    /// <summary>
    /// The encoded <see cref="Cable"/> of a row, with the <paramref name="texts"/> asked for. The paragraphs are read from
    /// the body, as the parse read them from the same lines.
    /// </summary>
    public static byte[] Encode(byte[] parsedFields, StoreFields store, byte[]? bodyUtf8, byte[]? rawTextUtf8, CableTexts texts = CableTexts.All)
    {
        var read = new CableReadFields
        {
            ContentSha256 = Convert.ToHexStringLower(store.ContentSha256),
            Ingested = Mapping.CableMessages.ToTimestamp(store.IngestedAt),
            Revised = Mapping.CableMessages.ToTimestamp(store.RevisedAt),
            RevisionCount = store.RevisionCount,
        };
        if (bodyUtf8 is not null && (texts & CableTexts.Body) != 0)
        {
            read.Body = UnsafeByteOperations.UnsafeWrap(bodyUtf8);
        }

        if (bodyUtf8 is not null && (texts & CableTexts.Paragraphs) != 0)
        {
            AddParagraphs(bodyUtf8, read.Paragraphs);
        }

        if (rawTextUtf8 is not null)
        {
            read.RawText = UnsafeByteOperations.UnsafeWrap(rawTextUtf8);
        }

        var message = new byte[parsedFields.Length + read.CalculateSize()];
        parsedFields.CopyTo(message, 0);
        read.WriteTo(message.AsSpan(parsedFields.Length));
        return message;
    }

    private static void AddParagraphs(byte[] bodyUtf8, Google.Protobuf.Collections.RepeatedField<Paragraph> paragraphs)
    {
        if (bodyUtf8.Length == 0)
        {
            return;
        }

        var body = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(bodyUtf8.Length));
        try
        {
            var length = Encoding.UTF8.GetChars(bodyUtf8, body);
            CableParser.VisitParagraphs(body.AsMemory(0, length), (number, marking, text) =>
                paragraphs.Add(new Paragraph { Number = number ?? 0, Marking = marking ?? "", Text = text.ToString() }));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(body);
        }
    }
}

/// <summary>What the store knows of a stored version beyond its parse.</summary>
internal readonly record struct StoreFields(byte[] ContentSha256, DateTime IngestedAt, DateTime? RevisedAt, int RevisionCount);
