namespace CableService.Tests.Security;

public sealed class MutualTlsTests(MutualTlsService service) : IClassFixture<MutualTlsService>
{
    [Fact]
    public async Task A_mapped_client_certificate_authenticates_its_caller_with_the_configured_scope_and_clearance()
    {
        Assert.Equal(Uri.UriSchemeHttps, service.Host.Address.Scheme);
        using var certificate = service.Certificates.Client("reader");
        var (channel, client) = service.WithCertificate(certificate);
        using (channel)
        {
            // CONFIDENTIAL: the seed, not the SECRET cable.
            Assert.Equal(1, (await client.CountCablesAsync(new Api.CountCablesRequest())).Count);
            var ingest = await Assert.ThrowsAsync<RpcException>(() => client.IngestCableAsync(new Api.IngestCableRequest { RawText = "x" }).ResponseAsync);
            Assert.Equal(StatusCode.PermissionDenied, ingest.StatusCode);
        }
    }

    [Fact]
    public async Task A_client_certificate_mapped_to_no_caller_is_unauthenticated()
    {
        using var certificate = service.Certificates.Client("stranger");
        var (channel, client) = service.WithCertificate(certificate);
        using (channel)
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => client.CountCablesAsync(new Api.CountCablesRequest()).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        }
    }
}
