namespace CableService.Tests.Security;

/// <summary>
/// The service over TLS with JWT authentication on, trusting <see cref="Tokens"/>, holding the seed (CONFIDENTIAL) and
/// <see cref="SecretId"/>, a SECRET NOFORN cable made from it. <see cref="ServiceHost.Client"/> is the administrator's.
/// </summary>
public class SecuredService : ServiceHost
{
    public const string SeedId = "08BRUSSELS1390";
    public const string SecretId = "08BRUSSELS1990";

    /// <summary>An id no cable holds: <see cref="SecretId"/> but for its serial.</summary>
    public const string MissingId = "08BRUSSELS1991";

    public TestTokenIssuer Tokens { get; } = new();

    /// <summary>The CA and server certificate of the service's TLS endpoint (HTTP/2 over TLS, the only endpoint).</summary>
    public TestCertificates Certificates { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings =>
        Tokens.ServiceSettings.Concat(Certificates.ServerSettings).Concat(ExtraSettings).ToDictionary(pair => pair.Key, pair => pair.Value);

    protected override HttpMessageHandler? ClientHandler => Certificates.ClientHandler();

    /// <summary>Settings on top of the issuer's.</summary>
    protected virtual IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    protected override string? Token => Tokens.Administrator();

    /// <summary>
    /// Calls <paramref name="call"/> for <see cref="SecretId"/> and for <see cref="MissingId"/> and asserts that the hidden
    /// cable fails as the missing one does: NOT_FOUND, with the same detail but for the id. Returns both failures.
    /// </summary>
    public static async Task<(RpcException Hidden, RpcException Missing)> AssertHiddenAsMissingAsync(Func<string, Task> call)
    {
        var hidden = await Assert.ThrowsAsync<RpcException>(() => call(SecretId));
        var missing = await Assert.ThrowsAsync<RpcException>(() => call(MissingId));
        Assert.Equal(StatusCode.NotFound, hidden.StatusCode);
        Assert.Equal(missing.StatusCode, hidden.StatusCode);
        Assert.Equal(missing.Status.Detail.Replace("1991", "1990", StringComparison.Ordinal), hidden.Status.Detail);
        return (hidden, missing);
    }

    /// <summary>The seed's telegram turned SECRET NOFORN, under <see cref="SecretId"/>.</summary>
    public static string SecretText(string? extra = null) =>
        File.ReadAllText(Corpus.SeedPath)
            .Replace("C O N F I D E N T I A L SECTION 01 OF 03 BRUSSELS 001390", "S E C R E T SECTION 01 OF 03 BRUSSELS 001990\n\nNOFORN", StringComparison.Ordinal)
            .Replace("#1390/01", "#1990/01", StringComparison.Ordinal)
            + (extra ?? "");

    /// <summary>The seed's telegram with its banner UNCLASSIFIED, under <paramref name="serial"/> (1990 makes it <see cref="SecretId"/>).</summary>
    public static string UnclassifiedText(string serial, string? extra = null) =>
        File.ReadAllText(Corpus.SeedPath)
            .Replace("C O N F I D E N T I A L SECTION 01 OF 03 BRUSSELS 001390", $"UNCLAS SECTION 01 OF 03 BRUSSELS 00{serial}", StringComparison.Ordinal)
            .Replace("#1390/01", $"#{serial}/01", StringComparison.Ordinal)
            + (extra ?? "");

    public Api.CableArchive.CableArchiveClient ClientWith(string token) => Host.ClientWith(token);

    /// <summary>A client that sends no token.</summary>
    public Api.CableArchive.CableArchiveClient Anonymous => new(Channel);

    protected override async Task InitializeDataAsync()
    {
        var answers = await Client.IngestAllAsync(
        [
            Ingestion.Telegram(Corpus.SeedPath, "seed"),
            new Api.IngestCableRequest { ClientItemId = "secret", RawText = SecretText() },
        ]);
        Assert.Equal(Api.IngestOutcome.Created, answers["seed"].Outcome);
        Assert.Equal(Api.IngestOutcome.Created, answers["secret"].Outcome);
        Assert.Equal(SecretId, answers["secret"].ReferenceId);
        var secret = await Client.GetCableAsync(new Api.GetCableRequest { ReferenceId = SecretId });
        Assert.Equal(Api.ClassificationLevel.Secret, secret.Classification.Level);
        Assert.Contains("NOFORN", secret.Classification.Caveats);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Tokens.Dispose();
        Certificates.Dispose();
    }
}

/// <summary><see cref="SecuredService"/> where a writer may ingest at or under its clearance (<c>IngestRequiresFullClearance=false</c>).</summary>
public sealed class PerLevelIngestService : SecuredService
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings =>
        new Dictionary<string, string?> { ["Cables:Auth:IngestRequiresFullClearance"] = "false" };
}

/// <summary><see cref="SecuredService"/> with a small per-caller quota: two full-text calls a minute.</summary>
public sealed class QuotaService : SecuredService
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Cables:Quotas:FullTextCallsPerMinute"] = "2",
    };
}

/// <summary><see cref="SecuredService"/> where a caller may hold one stream open at once.</summary>
public sealed class OneStreamPerCallerService : SecuredService
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Cables:Grpc:MaxStreamsPerCaller"] = "1",
    };

    /// <summary>A client on a channel (and so an HTTP/2 connection) of its own, from the same address, sending <paramref name="token"/>.</summary>
    public (global::Grpc.Net.Client.GrpcChannel Channel, Api.CableArchive.CableArchiveClient Client) OnNewConnection(string token)
    {
        var channel = global::Grpc.Net.Client.GrpcChannel.ForAddress(Host.Address, new global::Grpc.Net.Client.GrpcChannelOptions { HttpHandler = Certificates.ClientHandler() });
        return (channel, new Api.CableArchive.CableArchiveClient(global::Grpc.Core.Interceptors.ChannelExtensions.Intercept(channel, metadata =>
        {
            metadata.Add("authorization", $"Bearer {token}");
            return metadata;
        })));
    }
}

/// <summary><see cref="SecuredService"/> with mutual TLS: a client certificate of the test CA named <c>reader</c> stands for a CONFIDENTIAL reader.</summary>
public sealed class MutualTlsService : SecuredService
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Cables:Auth:ClientCertificateAuthority"] = Certificates.AuthorityPath,
        ["Cables:Auth:Certificates:0:Subject"] = "reader",
        ["Cables:Auth:Certificates:0:Name"] = "reader-service",
        ["Cables:Auth:Certificates:0:Scope"] = "cables.read",
        ["Cables:Auth:Certificates:0:Clearance"] = "confidential",
    };

    /// <summary>A client on a channel of its own that presents <paramref name="certificate"/> and no token.</summary>
    public (global::Grpc.Net.Client.GrpcChannel Channel, Api.CableArchive.CableArchiveClient Client) WithCertificate(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        var channel = global::Grpc.Net.Client.GrpcChannel.ForAddress(Host.Address, new global::Grpc.Net.Client.GrpcChannelOptions { HttpHandler = Certificates.ClientHandler(certificate) });
        return (channel, new Api.CableArchive.CableArchiveClient(channel));
    }
}

/// <summary><see cref="SecuredService"/> whose audit events are kept in <see cref="Audit"/>.</summary>
public sealed class AuditedService : SecuredService
{
    public AuditLog Audit { get; } = new();

    protected override IReadOnlyDictionary<string, string?> ExtraSettings =>
        new Dictionary<string, string?> { ["Logging:LogLevel:CableService.Audit"] = "Information" };

    protected override void ConfigureServices(Microsoft.Extensions.DependencyInjection.IServiceCollection services) =>
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(services, Audit);
}

/// <summary>The formatted messages logged under the audit category.</summary>
public sealed class AuditLog : Microsoft.Extensions.Logging.ILoggerProvider, Microsoft.Extensions.Logging.ILogger
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _events = new();

    public IReadOnlyList<string> Events => [.. _events];

    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) =>
        categoryName == global::CableService.Security.AuthAudit.Category ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

    public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _events.Enqueue(formatter(state, exception));

    public void Dispose()
    {
    }
}
