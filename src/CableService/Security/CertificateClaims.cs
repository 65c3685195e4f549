using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;

namespace CableService.Security;

/// <summary>The claims a client certificate stands for (<see cref="AuthOptions.Certificates"/>), under the claim names tokens use.</summary>
public static class CertificateClaims
{
    /// <summary>The identity configured for <paramref name="certificate"/>, or null when none is.</summary>
    public static ClaimsPrincipal? For(X509Certificate2 certificate, AuthOptions options, string scheme)
    {
        var commonName = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        var identity = options.Certificates.FirstOrDefault(c =>
            (c.Thumbprint.Length > 0 && string.Equals(c.Thumbprint.Replace(":", "", StringComparison.Ordinal), certificate.Thumbprint, StringComparison.OrdinalIgnoreCase))
            || (c.Subject.Length > 0 && (string.Equals(c.Subject, certificate.Subject, StringComparison.Ordinal) || string.Equals(c.Subject, commonName, StringComparison.Ordinal))));
        if (identity is null)
        {
            return null;
        }

        List<Claim> claims =
        [
            new("sub", identity.Name.Length > 0 ? identity.Name : commonName),
            new(options.ScopeClaim, identity.Scope),
            new(options.ClearanceClaim, identity.Clearance),
            new(options.ControlsClaim, identity.Controls),
        ];
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, "sub", null));
    }
}
