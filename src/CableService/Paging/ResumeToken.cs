using System.Buffers.Binary;
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

    public string Encode(ReadOnlySpan<byte> key)
    {
        Span<byte> buffer = stackalloc byte[SignedToken.TextTokenLength(HeaderLength)];
        buffer[0] = Version;
        BinaryPrimitives.WriteUInt128LittleEndian(buffer[1..], Fingerprint);
        BinaryPrimitives.WriteInt64LittleEndian(buffer[17..], Cursor.Created.Ticks);
        return SignedToken.SealWithText(buffer, HeaderLength, Cursor.ReferenceId, key);
    }

    /// <summary>False for anything the service did not write under <paramref name="key"/>, or cannot read.</summary>
    public static bool TryDecode(string token, ReadOnlySpan<byte> key, out ResumeToken resumeToken)
    {
        resumeToken = default;
        Span<byte> buffer = stackalloc byte[SignedToken.TextTokenLength(HeaderLength)];
        if (!SignedToken.TryOpen(token, key, Version, HeaderLength + 1, buffer, out var length))
        {
            return false;
        }

        var ticks = BinaryPrimitives.ReadInt64LittleEndian(buffer[17..]);
        if (ticks is < 0 || ticks > DateTime.MaxValue.Ticks
            || !SignedToken.TryReadText(buffer[HeaderLength..length], out var referenceId))
        {
            return false;
        }

        resumeToken = new(
            new CableCursor(new DateTime(ticks, DateTimeKind.Utc), referenceId),
            BinaryPrimitives.ReadUInt128LittleEndian(buffer[1..]));
        return true;
    }
}
