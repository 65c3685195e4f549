using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace CableService.Paging;

/// <summary>How resume and page tokens are signed (configuration section <c>Cables:Tokens</c>).</summary>
public sealed class TokenOptions
{
    public const string Section = "Cables:Tokens";

    /// <summary>
    /// The HMAC key, base64, at least 32 bytes, the same on every replica. Empty: a random key for this process only, so
    /// tokens do not survive a restart or move between replicas.
    /// </summary>
    public string SigningKey { get; set; } = "";
}

/// <summary>The key resume and page tokens are signed with.</summary>
public sealed class ResumeTokenKey
{
    public const int MinimumBytes = 32;

    public ResumeTokenKey(IOptions<TokenOptions> options, ILogger<ResumeTokenKey> logger)
    {
        var configured = options.Value.SigningKey;
        if (configured.Length == 0)
        {
            logger.LogWarning(
                "No {Section}:SigningKey: resume and page tokens are signed with a key of this process only and will not resume on another replica or after a restart",
                TokenOptions.Section);
            Key = RandomNumberGenerator.GetBytes(MinimumBytes);
            return;
        }

        Key = Convert.FromBase64String(configured);
    }

    public byte[] Key { get; }

    /// <summary>Whether a configured key is usable: base64 of at least <see cref="MinimumBytes"/> bytes, or empty.</summary>
    public static bool IsValid(string configured)
    {
        if (configured.Length == 0)
        {
            return true;
        }

        var bytes = new byte[configured.Length];
        return Convert.TryFromBase64String(configured, bytes, out var length) && length >= MinimumBytes;
    }
}
