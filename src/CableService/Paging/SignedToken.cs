using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace CableService.Paging;

/// <summary>
/// The framing every opaque token shares: base64url of [kind:1][fields][mac:16], the MAC the first 16 bytes of an
/// HMAC-SHA256 of the rest under the key all replicas share. The kind byte keeps one token type from passing for another.
/// </summary>
internal static class SignedToken
{
    public const int MacLength = 16;

    /// <summary>The most UTF-8 bytes a token carries after its fixed fields (a reference id).</summary>
    public const int MaxTextBytes = 128;

    /// <summary>The buffer a token of <paramref name="headerLength"/> fixed bytes and a trailing text needs.</summary>
    public static int TextTokenLength(int headerLength) => headerLength + MaxTextBytes + MacLength;

    /// <summary>Signs <c>buffer[..bodyLength]</c> and returns the wire form of body and MAC.</summary>
    public static string Seal(Span<byte> buffer, int bodyLength, ReadOnlySpan<byte> key)
    {
        Mac(key, buffer[..bodyLength], buffer.Slice(bodyLength, MacLength));
        return Base64Url.EncodeToString(buffer[..(bodyLength + MacLength)]);
    }

    /// <summary>
    /// Writes <paramref name="text"/> after the <paramref name="headerLength"/> fixed bytes already in
    /// <paramref name="buffer"/> (of <see cref="TextTokenLength"/>), then signs like <see cref="Seal"/>.
    /// </summary>
    public static string SealWithText(Span<byte> buffer, int headerLength, string text, ReadOnlySpan<byte> key)
    {
        var bodyLength = headerLength + Encoding.UTF8.GetBytes(text, buffer[headerLength..^MacLength]);
        return Seal(buffer, bodyLength, key);
    }

    /// <summary>
    /// Decodes <paramref name="token"/> into <paramref name="buffer"/>; false unless it is of <paramref name="kind"/>, its
    /// body at least <paramref name="minBodyLength"/> bytes, and its MAC the one the service writes under <paramref name="key"/>.
    /// </summary>
    public static bool TryOpen(string token, ReadOnlySpan<byte> key, byte kind, int minBodyLength, Span<byte> buffer, out int bodyLength)
    {
        bodyLength = 0;
        // TryDecodeFromChars throws on characters outside the alphabet: check them first.
        if (token.Length > Base64Url.GetEncodedLength(buffer.Length)
            || !Base64Url.IsValid(token)
            || !Base64Url.TryDecodeFromChars(token, buffer, out var total)
            || total < minBodyLength + MacLength
            || buffer[0] != kind)
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

        bodyLength = length;
        return true;
    }

    /// <summary>False for bytes that are not valid UTF-8.</summary>
    public static bool TryReadText(ReadOnlySpan<byte> bytes, out string text)
    {
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = "";
            return false;
        }
    }

    private static void Mac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        Span<byte> full = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, data, full);
        full[..MacLength].CopyTo(destination);
    }
}
