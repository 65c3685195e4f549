using Cables.Api.V1.Mapping;
using Google.Protobuf;
using Model = Cables.Parsing.Model;

namespace Cables.Api.V1.Wire;

/// <summary>
/// The parts of an encoded <see cref="Cable"/> that the store keeps with each row, encoded once at ingest and put
/// together with the store's own fields by <see cref="EncodedCableWriter"/> at every read.
/// </summary>
public static class StoredCableParts
{
    /// <summary>The fields a parse gives (1-18): everything a BASIC read sends but the store's own fields.</summary>
    public static byte[] EncodeParsedFields(Model.ParsedCable cable) => CableMessages.ToApi(cable, full: false).ToByteArray();

    /// <summary>The paragraphs as encoded entries of field 31: what a FULL read appends after the body, as they are.</summary>
    public static byte[] EncodeParagraphs(IReadOnlyList<Model.Paragraph> paragraphs)
    {
        var message = new Cable();
        message.Paragraphs.AddRange(paragraphs.Select(CableMessages.ToApi));
        return message.ToByteArray();
    }

    /// <summary>The paragraphs of <see cref="EncodeParagraphs"/>'s bytes, back as the model's.</summary>
    public static IReadOnlyList<Model.Paragraph> DecodeParagraphs(byte[] encoded) =>
        [.. Cable.Parser.ParseFrom(encoded).Paragraphs.Select(CableMessages.ToModel)];
}
