using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Cables.Storage;

namespace CableService.Paging;

/// <summary>
/// The opaque token a client sends back to continue a stream or a listing: the keyset cursor
/// (created, reference id) of the last cable delivered plus the fingerprint of the filter and order it
/// belongs to. Wire form: base64url of [version:1][fingerprint:16][created ticks:8][reference id: UTF-8][mac:16],
/// the MAC an HMAC-SHA256 of the rest under the key all replicas share: a token the service did not write is refused.
/// </summary>
public readonly record struct ResumeToken(CableCursor Cursor, UInt128 Fingerprint)
{
    private const byte Version = 2;
    private const int HeaderLength = 1 + 16 + 8;
    private const int MacLength = 16;
    private const int MaxReferenceIdBytes = 128;

    public string Encode(ReadOnlySpan<byte> key)
    {
        Span<byte> buffer = stackalloc byte[HeaderLength + MaxReferenceIdBytes + MacLength];
        buffer[0] = Version;
        BinaryPrimitives.WriteUInt128LittleEndian(buffer[1..], Fingerprint);
        BinaryPrimitives.WriteInt64LittleEndian(buffer[17..], Cursor.Created.Ticks);
        var signed = HeaderLength + Encoding.UTF8.GetBytes(Cursor.ReferenceId, buffer[HeaderLength..^MacLength]);
        Mac(key, buffer[..signed], buffer.Slice(signed, MacLength));
        return Base64Url.EncodeToString(buffer[..(signed + MacLength)]);
    }

    /// <summary>False for anything the service did not write under <paramref name="key"/>, or cannot read.</summary>
    public static bool TryDecode(string token, ReadOnlySpan<byte> key, out ResumeToken resumeToken)
    {
        resumeToken = default;
        Span<byte> buffer = stackalloc byte[HeaderLength + MaxReferenceIdBytes + MacLength];
        // TryDecodeFromChars throws on characters outside the alphabet: check them first.
        if (token.Length > Base64Url.GetEncodedLength(buffer.Length)
            || !Base64Url.IsValid(token)
            || !Base64Url.TryDecodeFromChars(token, buffer, out var total)
            || total <= HeaderLength + MacLength
            || buffer[0] != Version)
        {
            return false;
        }

        var length = total - MacLength;
        Span<byte> expected = stackalloc byte[MacLength];
        Mac(key, buffer[..length], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, buffer.Slice(length, MacLength)))
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

    private static void Mac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        Span<byte> full = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, data, full);
        full[..MacLength].CopyTo(destination);
    }
}
