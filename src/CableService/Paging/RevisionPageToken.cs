using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace CableService.Paging;

/// <summary>
/// The page token of <c>ListCableRevisions</c>: the next page holds the versions of <see cref="ReferenceId"/> numbered
/// below <see cref="Before"/>. Wire form: base64url of [kind:1][before:4][reference id: UTF-8][mac:16], signed like
/// <see cref="ResumeToken"/> under the same key; its kind byte differs, so neither token passes for the other.
/// </summary>
public readonly record struct RevisionPageToken(string ReferenceId, int Before)
{
    private const byte Kind = 0x52;
    private const int HeaderLength = 1 + 4;
    private const int MacLength = 16;
    private const int MaxReferenceIdBytes = 128;

    public string Encode(ReadOnlySpan<byte> key)
    {
        Span<byte> buffer = stackalloc byte[HeaderLength + MaxReferenceIdBytes + MacLength];
        buffer[0] = Kind;
        BinaryPrimitives.WriteInt32LittleEndian(buffer[1..], Before);
        var signed = HeaderLength + Encoding.UTF8.GetBytes(ReferenceId, buffer[HeaderLength..^MacLength]);
        Mac(key, buffer[..signed], buffer.Slice(signed, MacLength));
        return Base64Url.EncodeToString(buffer[..(signed + MacLength)]);
    }

    /// <summary>False for anything the service did not write under <paramref name="key"/>, or cannot read.</summary>
    public static bool TryDecode(string token, ReadOnlySpan<byte> key, out RevisionPageToken pageToken)
    {
        pageToken = default;
        Span<byte> buffer = stackalloc byte[HeaderLength + MaxReferenceIdBytes + MacLength];
        if (token.Length > Base64Url.GetEncodedLength(buffer.Length)
            || !Base64Url.IsValid(token)
            || !Base64Url.TryDecodeFromChars(token, buffer, out var total)
            || total <= HeaderLength + MacLength
            || buffer[0] != Kind)
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

        string referenceId;
        try
        {
            referenceId = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer[HeaderLength..length]);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        pageToken = new(referenceId, BinaryPrimitives.ReadInt32LittleEndian(buffer[1..]));
        return true;
    }

    private static void Mac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        Span<byte> full = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, data, full);
        full[..MacLength].CopyTo(destination);
    }
}
