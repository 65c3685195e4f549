namespace CableService.Tests.Functional;

public sealed class CompressionTests(ServiceHost host) : IClassFixture<ServiceHost>
{
    [Theory]
    [InlineData("gzip", "gzip")]
    [InlineData("", null)]
    public async Task Responses_are_compressed_as_configured_for_a_client_that_accepts_it(string configured, string? expected)
    {
        await host.Client.IngestAllAsync([Ingestion.Telegram(Corpus.SeedPath)]);
        using var capture = new EncodingCapture();
        await using var service = await TestServiceHost.StartAsync(host.Database.ConnectionString, new TestServiceHostOptions
        {
            Settings = new Dictionary<string, string?> { ["Cables:Grpc:ResponseCompression"] = configured },
            ClientHandler = capture,
        });

        var cable = await service.Client.GetCableAsync(new Api.GetCableRequest { ReferenceId = "08BRUSSELS1390", View = Api.CableView.Full });

        Assert.Equal(expected, capture.Encoding);
        Assert.Equal(File.ReadAllText(Corpus.SeedPath), cable.RawText);
    }

    /// <summary>The grpc-encoding of the last response, which the gRPC client keeps to itself.</summary>
    private sealed class EncodingCapture() : DelegatingHandler(new SocketsHttpHandler())
    {
        public string? Encoding { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            Encoding = response.Headers.TryGetValues("grpc-encoding", out var values) ? values.Single() : null;
            return response;
        }
    }
}
