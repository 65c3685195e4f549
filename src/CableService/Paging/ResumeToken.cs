using System.Buffers.Binary;
using System.Buffers.Text;
using System.Text;
using Cables.Storage;

namespace CableService.Paging;

/// <summary>
/// The opaque token a client sends back to continue a stream or a listing: the keyset cursor
/// (created, reference id) of the last cable delivered plus the fingerprint of the filter and order it
/// belongs to. Wire form: base64url of [version:1][fingerprint:16][created ticks:8][reference id: UTF-8].
/// </summary>
public readonly record struct ResumeToken(CableCursor Cursor, UInt128 Fingerprint)
{
    private const byte Version = 1;
    private const int HeaderLength = 1 + 16 + 8;
    private const int MaxReferenceIdBytes = 128;

    public string Encode()
    {
        Span<byte> buffer = stackalloc byte[HeaderLength + MaxReferenceIdBytes];
        buffer[0] = Version;
        BinaryPrimitives.WriteUInt128LittleEndian(buffer[1..], Fingerprint);
        BinaryPrimitives.WriteInt64LittleEndian(buffer[17..], Cursor.Created.Ticks);
        var idLength = Encoding.UTF8.GetBytes(Cursor.ReferenceId, buffer[HeaderLength..]);
        return Base64Url.EncodeToString(buffer[..(HeaderLength + idLength)]);
    }

    public static bool TryDecode(string token, out ResumeToken resumeToken)
    {
        resumeToken = default;
        Span<byte> buffer = stackalloc byte[HeaderLength + MaxReferenceIdBytes];
        // TryDecodeFromChars throws on characters outside the alphabet: check them first.
        if (token.Length > Base64Url.GetEncodedLength(buffer.Length)
            || !Base64Url.IsValid(token)
            || !Base64Url.TryDecodeFromChars(token, buffer, out var length)
            || length <= HeaderLength
            || buffer[0] != Version)
        {
            return false;
        }

        var ticks = BinaryPrimitives.ReadInt64LittleEndian(buffer[17..]);
        if (ticks is < 0 || ticks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        string referenceId;
        try
        {
            referenceId = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer[HeaderLength..length]);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        resumeToken = new(
            new CableCursor(new DateTime(ticks, DateTimeKind.Utc), referenceId),
            BinaryPrimitives.ReadUInt128LittleEndian(buffer[1..]));
        return true;
    }
}
