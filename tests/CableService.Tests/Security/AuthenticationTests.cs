using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;

namespace CableService.Tests.Security;

/// <summary>Every RPC over real Kestrel with real signed tokens: no token, an expired one, a wrong audience, a missing scope, the right scope.</summary>
public sealed class AuthenticationTests(SecuredService service) : IClassFixture<SecuredService>
{
    private static readonly string[] s_rpcs =
        ["GetCable", "StreamCables", "CountCables", "ListCables", "ListCableRevisions", "DiffCableRevisions", "WatchCables", "IngestCable", "IngestCables"];

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var rpc in s_rpcs)
        {
            foreach (var credential in new[] { "none", "expired", "wrong audience", "missing scope", "right scope" })
            {
                cases.Add(rpc, credential);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_rpc_answers_each_credential_with_the_canonical_status_and_its_error_info(string rpc, string credential)
    {
        var scope = rpc.StartsWith("Ingest", StringComparison.Ordinal) ? "cables.ingest" : "cables.read";
        var other = scope == "cables.read" ? "cables.ingest" : "cables.read";
        var tokens = service.Tokens;
        var client = credential switch
        {
            "none" => service.Anonymous,
            "expired" => service.ClientWith(tokens.Token(scope, "top_secret", Cables.Testing.TestTokenIssuer.EveryControl, lifetime: TimeSpan.FromMinutes(-5))),
            "wrong audience" => service.ClientWith(tokens.Token(scope, "top_secret", Cables.Testing.TestTokenIssuer.EveryControl, audience: "another-service")),
            "missing scope" => service.ClientWith(tokens.Token(other, "top_secret", Cables.Testing.TestTokenIssuer.EveryControl)),
            _ => service.ClientWith(tokens.Token(scope, "top_secret", Cables.Testing.TestTokenIssuer.EveryControl)),
        };

        var error = await CallAsync(client, rpc);

        var (code, reason) = credential switch
        {
            "none" => (StatusCode.Unauthenticated, "CREDENTIALS_MISSING"),
            "expired" => (StatusCode.Unauthenticated, "ACCESS_TOKEN_EXPIRED"),
            "wrong audience" => (StatusCode.Unauthenticated, "ACCESS_TOKEN_INVALID"),
            "missing scope" => (StatusCode.PermissionDenied, "ACCESS_TOKEN_SCOPE_INSUFFICIENT"),
            _ => (StatusCode.OK, ""),
        };
        if (code == StatusCode.OK)
        {
            Assert.Null(error);
            return;
        }

        Assert.NotNull(error);
        Assert.Equal(code, error.StatusCode);
        var info = error.GetRpcStatus()?.GetDetail<ErrorInfo>();
        Assert.True(info is not null, $"no ErrorInfo in {error.Status}");
        Assert.Equal(reason, info.Reason);
        Assert.Equal("cables.v1", info.Domain);
        if (code == StatusCode.PermissionDenied)
        {
            Assert.Equal(scope, info.Metadata["required_scope"]);
        }
    }

    [Fact]
    public void The_cases_cover_every_rpc_of_the_service()
    {
        Assert.Equal(Api.CableArchive.Descriptor.Methods.Select(m => m.Name).Order(StringComparer.Ordinal), s_rpcs.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Health_answers_without_a_token()
    {
        var health = new Health.HealthClient(service.Channel);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
    }

    [Fact]
    public async Task Reflection_needs_an_authenticated_caller_but_no_scope()
    {
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => ListServicesAsync(null));
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);

        var services = await ListServicesAsync(service.Tokens.Token(scope: ""));
        Assert.Contains("cables.v1.CableArchive", services);
    }

    private async Task<string[]> ListServicesAsync(string? token)
    {
        var reflection = new ServerReflection.ServerReflectionClient(service.Channel);
        using var call = reflection.ServerReflectionInfo(token is null ? null : Cables.Testing.TestTokenIssuer.Bearer(token));
        try
        {
            await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
            await call.RequestStream.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException)
        {
            // Refused before the request was read: the write sees the call end, the read below its status.
        }

        Assert.True(await call.ResponseStream.MoveNext());
        return [.. call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name)];
    }

    /// <summary>Makes the call to the end; returns its error status, or null when it succeeded.</summary>
    private static async Task<RpcException?> CallAsync(Api.CableArchive.CableArchiveClient client, string rpc)
    {
        var seed = Ingestion.Telegram(Corpus.SeedPath, "seed");
        try
        {
            switch (rpc)
            {
                case "GetCable":
                    Assert.Equal(SecuredService.SeedId, (await client.GetCableAsync(new Api.GetCableRequest { ReferenceId = SecuredService.SeedId })).ReferenceId);
                    break;
                case "StreamCables":
                    Assert.NotEmpty(await client.StreamAllAsync(new Api.StreamCablesRequest()));
                    break;
                case "CountCables":
                    Assert.Equal(2, (await client.CountCablesAsync(new Api.CountCablesRequest())).Count);
                    break;
                case "ListCables":
                    Assert.Equal(2, (await client.ListCablesAsync(new Api.ListCablesRequest())).Cables.Count);
                    break;
                case "ListCableRevisions":
                    Assert.Equal([1], (await client.ListCableRevisionsAsync(new Api.ListCableRevisionsRequest { ReferenceId = SecuredService.SeedId })).Revisions.Select(r => r.Revision));
                    break;
                case "DiffCableRevisions":
                    Assert.Empty((await client.DiffCableRevisionsAsync(new Api.DiffCableRevisionsRequest { ReferenceId = SecuredService.SeedId })).Hunks);
                    break;
                case "WatchCables":
                    using (var watch = client.WatchCables(new Api.WatchCablesRequest { FromNow = true }))
                    {
                        // The first response is a heartbeat with the position of now.
                        Assert.True(await watch.ResponseStream.MoveNext());
                        Assert.NotEmpty(watch.ResponseStream.Current.Position);
                    }

                    break;
                case "IngestCable":
                    Assert.Equal(Api.IngestOutcome.Unchanged, (await client.IngestCableAsync(seed)).Outcome);
                    break;
                case "IngestCables":
                    using (var call = client.IngestCables())
                    {
                        try
                        {
                            await call.RequestStream.WriteAsync(seed);
                            await call.RequestStream.CompleteAsync();
                        }
                        catch (Exception e) when (e is RpcException or InvalidOperationException)
                        {
                            // The call was refused before its request was read: its status is read below.
                        }

                        var answers = await call.ResponseStream.ReadAllAsync().ToListAsync();
                        Assert.Equal(Api.IngestOutcome.Unchanged, Assert.Single(answers).Outcome);
                    }

                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(rpc), rpc, null);
            }

            return null;
        }
        catch (RpcException e)
        {
            return e;
        }
    }
}
