using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Cables.Cli.Commands;

/// <summary>The TLS side of a <see cref="ServiceAddress"/>: a private CA to trust, a client certificate to present.</summary>
public static class TlsFiles
{
    public static void Apply(SocketsHttpHandler handler, ServiceAddress address)
    {
        if (address.CertFile is { } cert && address.KeyFile is { } key)
        {
            handler.SslOptions.ClientCertificates = [X509Certificate2.CreateFromPemFile(cert, key)];
        }

        if (address.CaFile is { } caFile)
        {
            var authority = X509CertificateLoader.LoadCertificateFromFile(caFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                certificate is not null && IssuedBy(new X509Certificate2(certificate), authority, errors);
        }
    }

    /// <summary>The server's certificate chains to <paramref name="authority"/> and names the host (no other error).</summary>
    private static bool IssuedBy(X509Certificate2 certificate, X509Certificate2 authority, SslPolicyErrors errors)
    {
        if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
