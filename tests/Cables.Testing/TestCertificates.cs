using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cables.Testing;

/// <summary>
/// A private CA made for one test fixture, a server certificate it signs for 127.0.0.1 and localhost, and client
/// certificates on demand, as PEM files in a temporary folder: what a TLS and mutual-TLS deployment is configured with.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly ECDsa _authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestCertificates()
    {
        Folder = Directory.CreateTempSubdirectory("cables-tls-").FullName;
        var request = new CertificateRequest("CN=Cables Test CA", _authorityKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        AuthorityPath = Path.Combine(Folder, "ca.pem");
        File.WriteAllText(AuthorityPath, Authority.ExportCertificatePem());

        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        (ServerCertificatePath, ServerKeyPath) = Issue("cables-server", names.Build(), serverAuth: true);
    }

    public string Folder { get; }

    public X509Certificate2 Authority { get; }

    public string AuthorityPath { get; }

    public string ServerCertificatePath { get; }

    public string ServerKeyPath { get; }

    /// <summary>Kestrel configuration: one HTTPS endpoint (HTTP/2) on a free loopback port with the server certificate.</summary>
    public IReadOnlyDictionary<string, string?> ServerSettings => new Dictionary<string, string?>
    {
        ["Kestrel:Endpoints:Tls:Url"] = "https://127.0.0.1:0",
        ["Kestrel:Endpoints:Tls:Protocols"] = "Http2",
        ["Kestrel:Endpoints:Tls:Certificate:Path"] = ServerCertificatePath,
        ["Kestrel:Endpoints:Tls:Certificate:KeyPath"] = ServerKeyPath,
    };

    /// <summary>A client certificate for <paramref name="commonName"/> signed by the CA, with its key.</summary>
    public X509Certificate2 Client(string commonName)
    {
        var (certificate, key) = Issue(commonName, null, serverAuth: false);
        return X509Certificate2.CreateFromPemFile(certificate, key);
    }

    /// <summary>A handler that trusts the CA only (and presents <paramref name="clientCertificate"/> when given).</summary>
    public HttpMessageHandler ClientHandler(X509Certificate2? clientCertificate = null)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            if (certificate is null)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(Authority);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(new X509Certificate2(certificate));
        };
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
        }

        return handler;
    }

    public void Dispose()
    {
        Authority.Dispose();
        _authorityKey.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    private (string Certificate, string Key) Issue(string commonName, X509Extension? names, bool serverAuth)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [serverAuth ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
        if (names is not null)
        {
            request.CertificateExtensions.Add(names);
        }

        using var certificate = request.Create(Authority, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), RandomNumberGenerator.GetBytes(8));
        var certificatePath = Path.Combine(Folder, $"{commonName}.pem");
        var keyPath = Path.Combine(Folder, $"{commonName}.key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }
}
