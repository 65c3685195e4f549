using System.Security.Cryptography;
using Grpc.Core;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Cables.Testing;

/// <summary>
/// An issuer of real signed JWTs for tests: a P-256 key generated per instance, whose public half the service is told
/// to trust (<see cref="ServiceSettings"/>). Tokens are written by Microsoft.IdentityModel, not by the service's code.
/// </summary>
public sealed class TestTokenIssuer : IDisposable
{
    public const string Issuer = "https://issuer.cables.test";
    public const string Audience = "cables-test";
    public const string EveryControl = "NOFORN NODIS EXDIS LIMDIS STADIS ORCON PROPIN NOCONTRACT";

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly JsonWebTokenHandler _handler = new();

    public string PublicKeyPem => _key.ExportSubjectPublicKeyInfoPem();

    /// <summary>Configuration that makes the service accept this issuer's tokens.</summary>
    public IReadOnlyDictionary<string, string?> ServiceSettings => new Dictionary<string, string?>
    {
        ["Cables:Auth:Mode"] = "Jwt",
        ["Cables:Auth:Issuer"] = Issuer,
        ["Cables:Auth:Audience"] = Audience,
        ["Cables:Auth:SigningKeys:0"] = PublicKeyPem,
        ["Cables:Auth:ClockSkew"] = "00:00:05",
    };

    /// <summary>A token for both scopes, top secret, holding every restricting control: it sees and writes everything.</summary>
    public string Administrator() => Token("cables.read cables.ingest", "top_secret", EveryControl, TimeSpan.FromHours(2), subject: "administrator");

    /// <summary>
    /// A token with these claims, valid from a minute ago for <paramref name="lifetime"/> (negative: it expired that long
    /// ago), for <paramref name="audience"/> (default: the service's).
    /// </summary>
    public string Token(
        string scope, string? clearance = null, string? controls = null, TimeSpan? lifetime = null, string? audience = null, string subject = "tester")
    {
        var now = DateTime.UtcNow;
        var life = lifetime ?? TimeSpan.FromMinutes(10);
        var claims = new Dictionary<string, object> { ["sub"] = subject, ["scope"] = scope };
        if (clearance is not null)
        {
            claims["clearance"] = clearance;
        }

        if (controls is not null)
        {
            claims["controls"] = controls;
        }

        var start = life < TimeSpan.Zero ? now + life - TimeSpan.FromHours(1) : now.AddMinutes(-1);
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience ?? Audience,
            Claims = claims,
            IssuedAt = start,
            NotBefore = start,
            Expires = now + life,
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(_key), SecurityAlgorithms.EcdsaSha256),
        });
    }

    /// <summary>The header that carries <paramref name="token"/>.</summary>
    public static Metadata Bearer(string token) => new() { { "authorization", $"Bearer {token}" } };

    public void Dispose() => _key.Dispose();
}
