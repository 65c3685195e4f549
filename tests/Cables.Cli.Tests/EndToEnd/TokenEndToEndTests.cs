namespace Cables.Cli.Tests.EndToEnd;

/// <summary>cablectl against the real service with authentication on: a dev-token it signs, TLS with --ca, mutual TLS with --cert/--key.</summary>
public sealed class TokenEndToEndTests(TestDatabase database) : FolderPerTest("cablectl-token-"), IClassFixture<TestDatabase>
{
    private const string EveryControl = "noforn,nodis,exdis,limdis,stadis,orcon,propin,nocontract";

    private readonly TestCertificates _certificates = new();

    [Fact]
    public async Task A_dev_token_signed_by_cablectl_is_accepted_over_tls_and_a_call_without_one_is_unauthenticated()
    {
        var key = Folder.File("dev.pem");
        var (exitCode, token, error) = await CommandRunner.RunAsync(
            ["dev-token", "--signing-key", key, "--clearance", "top_secret", "--controls", EveryControl, "--scope", "cables.read,cables.ingest"]);
        Assert.True(exitCode == 0, error);
        Assert.Contains("SigningKeyFiles", error, StringComparison.Ordinal);
        token = token.Trim();
        Assert.Equal(3, token.Split('.').Length);

        var settings = new Dictionary<string, string?>
        {
            ["Cables:Auth:Mode"] = "Jwt",
            ["Cables:Auth:Issuer"] = "cablectl-dev",
            ["Cables:Auth:Audience"] = "cables",
            ["Cables:Auth:SigningKeyFiles:0"] = Path.ChangeExtension(key, ".pub.pem"),
            ["Cables:Auth:ClientCertificateAuthority"] = _certificates.AuthorityPath,
            ["Cables:Auth:Certificates:0:Subject"] = "cablectl-reader",
            ["Cables:Auth:Certificates:0:Scope"] = "cables.read",
            ["Cables:Auth:Certificates:0:Clearance"] = "top_secret",
        };
        await using var host = await TestServiceHost.StartAsync(
            database.ConnectionString,
            new TestServiceHostOptions { Settings = settings.Concat(_certificates.ServerSettings).ToDictionary(p => p.Key, p => p.Value) });
        var server = host.Address.ToString();
        Assert.StartsWith("https://", server, StringComparison.Ordinal);
        var seed = SharedFolder.Path("corpus", "seed", "08BRUSSELS1390.txt");

        var ingest = await CommandRunner.RunAsync(["ingest", seed, "--server", server, "--ca", _certificates.AuthorityPath, "--token", token, "--rejects", Folder.File("rejects.jsonl")]);
        Assert.True(ingest.ExitCode == 0, ingest.Error + ingest.Output);
        var count = await CommandRunner.RunAsync(["count", "--server", server, "--ca", _certificates.AuthorityPath, "--token", token]);
        Assert.Equal((0, "1"), (count.ExitCode, count.Output.Trim()));

        var anonymous = await CommandRunner.RunAsync(["count", "--server", server, "--ca", _certificates.AuthorityPath]);
        Assert.Equal(1, anonymous.ExitCode);
        Assert.Contains("Unauthenticated", anonymous.Error, StringComparison.Ordinal);

        // Mutual TLS: a client certificate mapped to a reader, no token.
        using var client = _certificates.Client("cablectl-reader");
        var (certificate, privateKey) = (Path.Combine(_certificates.Folder, "cablectl-reader.pem"), Path.Combine(_certificates.Folder, "cablectl-reader.key.pem"));
        var withCertificate = await CommandRunner.RunAsync(["count", "--server", server, "--ca", _certificates.AuthorityPath, "--cert", certificate, "--key", privateKey]);
        Assert.Equal((0, "1"), (withCertificate.ExitCode, withCertificate.Output.Trim()));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _certificates.Dispose();
        }

        base.Dispose(disposing);
    }
}
