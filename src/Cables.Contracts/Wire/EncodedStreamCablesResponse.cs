using System.Text;
using Google.Protobuf;
using Grpc.Core;

namespace Cables.Api.V1.Wire;

/// <summary>
/// A <see cref="StreamCablesResponse"/> whose cable is already encoded: the server sends it as it is, with the same
/// bytes <see cref="StreamCablesResponse"/> would have, so clients read it with the generated stubs.
/// </summary>
public sealed class EncodedStreamCablesResponse(byte[] cable, string resumeToken)
{
    private const byte CableTag = (1 << 3) | 2;
    private const byte ResumeTokenTag = (2 << 3) | 2;

    /// <summary>Writes responses to the wire; a server never reads one, so it cannot deserialize.</summary>
    public static Marshaller<EncodedStreamCablesResponse> Marshaller { get; } = Marshallers.Create<EncodedStreamCablesResponse>(
        (response, context) => response.WriteTo(context),
        _ => throw new NotSupportedException($"{nameof(EncodedStreamCablesResponse)} is only written; read a {nameof(StreamCablesResponse)}."));

    /// <summary>The encoded <see cref="Cable"/>.</summary>
    public byte[] Cable { get; } = cable;

    public string ResumeToken { get; } = resumeToken;

    private void WriteTo(SerializationContext context)
    {
        var tokenLength = Encoding.UTF8.GetByteCount(ResumeToken);
        var size = 1 + CodedOutputStream.ComputeLengthSize(Cable.Length) + Cable.Length
            + (tokenLength == 0 ? 0 : 1 + CodedOutputStream.ComputeLengthSize(tokenLength) + tokenLength);
        context.SetPayloadLength(size);
        var writer = context.GetBufferWriter();
        var span = writer.GetSpan(size);
        var position = WriteField(span, CableTag, Cable.Length);
        Cable.CopyTo(span[position..]);
        position += Cable.Length;
        if (tokenLength > 0)
        {
            position = WriteField(span, ResumeTokenTag, tokenLength, position);
            position += Encoding.UTF8.GetBytes(ResumeToken, span[position..]);
        }

        writer.Advance(position);
        context.Complete();
    }

    /// <summary>A tag and a length at <paramref name="position"/>; returns where the field's bytes go.</summary>
    private static int WriteField(Span<byte> span, byte tag, int length, int position = 0)
    {
        span[position++] = tag;
        return position + Varint.Write(span[position..], (uint)length);
    }
}
