using System.Buffers.Binary;

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

    public string Encode(ReadOnlySpan<byte> key)
    {
        Span<byte> buffer = stackalloc byte[SignedToken.TextTokenLength(HeaderLength)];
        buffer[0] = Kind;
        BinaryPrimitives.WriteInt32LittleEndian(buffer[1..], Before);
        return SignedToken.SealWithText(buffer, HeaderLength, ReferenceId, key);
    }

    /// <summary>False for anything the service did not write under <paramref name="key"/>, or cannot read.</summary>
    public static bool TryDecode(string token, ReadOnlySpan<byte> key, out RevisionPageToken pageToken)
    {
        pageToken = default;
        Span<byte> buffer = stackalloc byte[SignedToken.TextTokenLength(HeaderLength)];
        if (!SignedToken.TryOpen(token, key, Kind, HeaderLength + 1, buffer, out var length)
            || !SignedToken.TryReadText(buffer[HeaderLength..length], out var referenceId))
        {
            return false;
        }

        pageToken = new(referenceId, BinaryPrimitives.ReadInt32LittleEndian(buffer[1..]));
        return true;
    }
}
