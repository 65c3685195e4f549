using CableService.Errors;
using Cables.Storage;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace CableService.Mapping;

/// <summary>
/// <c>read_mask</c> (AIP-157): the <see cref="Api.Cable"/> fields a caller wants. The store reads only the texts the
/// mask names; the mask then trims what the store encoded to those fields.
/// </summary>
public static class ReadMasks
{
    /// <summary>
    /// The texts to read for a request: those the mask names when it has paths, else those of the view. Null with a
    /// violation when a path names no field of <see cref="Api.Cable"/>.
    /// </summary>
    public static CableTexts TextsFor(Api.CableView view, FieldMask? mask, List<Google.Rpc.BadRequest.Types.FieldViolation> violations)
    {
        if (mask is not { Paths.Count: > 0 })
        {
            return view == Api.CableView.Full ? CableTexts.All : CableTexts.None;
        }

        if (!FieldMask.IsValid<Api.Cable>(mask))
        {
            violations.Add(RpcErrors.Violation("read_mask", $"'{string.Join(',', mask.Paths)}' names a field that cables.v1.Cable does not have"));
            return CableTexts.None;
        }

        var texts = CableTexts.None;
        foreach (var path in mask.Paths)
        {
            texts |= path switch
            {
                "body" => CableTexts.Body,
                "paragraphs" => CableTexts.Paragraphs,
                "raw_text" => CableTexts.RawText,
                _ => CableTexts.None,
            };
        }

        return texts;
    }

    /// <summary>The cable trimmed to the mask's fields; the cable itself when there is no mask.</summary>
    public static Api.Cable Apply(FieldMask? mask, Api.Cable cable)
    {
        if (mask is not { Paths.Count: > 0 })
        {
            return cable;
        }

        var trimmed = new Api.Cable();
        mask.Merge(cable, trimmed);
        return trimmed;
    }

    /// <summary>The encoded cable trimmed to the mask's fields; the bytes as they are when there is no mask.</summary>
    public static byte[] Apply(FieldMask? mask, byte[] encoded) =>
        mask is not { Paths.Count: > 0 } ? encoded : Apply(mask, Api.Cable.Parser.ParseFrom(encoded)).ToByteArray();
}
