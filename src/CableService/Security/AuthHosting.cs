using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace CableService.Security;

public static class AuthHosting
{
    /// <summary>
    /// Authentication, scopes and clearance from <c>Cables:Auth</c> (<see cref="AuthOptions"/>). Without a mode the
    /// service is open and may bind loopback only; an open service on any other address must say
    /// <c>Cables:Auth:Mode=None</c>, or start-up fails here.
    /// </summary>
    public static WebApplicationBuilder AddCableAuth(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(AuthOptions.Section);
        var options = section.Get<AuthOptions>() ?? new();
        builder.Services.AddOptions<AuthOptions>()
            .Bind(section)
            .Validate(o => !o.Enabled || o.Issuer.Length > 0, $"{AuthOptions.Section}:Issuer is required with Mode=Jwt")
            .Validate(o => !o.Enabled || o.Audience.Length > 0, $"{AuthOptions.Section}:Audience is required with Mode=Jwt")
            .Validate(
                o => !o.Enabled || o.Authority.Length > 0 || o.SigningKeys.Count + o.SigningKeyFiles.Count > 0,
                $"{AuthOptions.Section}: Mode=Jwt needs an Authority or SigningKeys/SigningKeyFiles")
            .Validate(o => o.ClockSkew >= TimeSpan.Zero, $"{AuthOptions.Section}:ClockSkew must not be negative")
            .Validate(
                o => o.ClientCertificateAuthority.Length == 0 || (o.Enabled && File.Exists(o.ClientCertificateAuthority)),
                $"{AuthOptions.Section}:ClientCertificateAuthority must be an existing PEM file, with Mode=Jwt")
            .Validate(
                o => !o.Enabled || KeysAreReadable(o),
                $"{AuthOptions.Section}: every SigningKeys entry and SigningKeyFiles file must be a readable PEM public key (RSA or EC)")
            .ValidateOnStart();
        builder.Services.AddSingleton<CallerVisibility>();
        builder.Services.AddSingleton<WriteClearance>();
        builder.Services.AddSingleton<AuthAudit>();
        builder.Services.AddHostedService<OpenServiceWarning>();
        builder.Services.AddOptions<QuotaOptions>()
            .Bind(builder.Configuration.GetSection(QuotaOptions.Section))
            .Validate(o => o.FullTextCallsPerMinute >= 0, $"{QuotaOptions.Section}:FullTextCallsPerMinute must be 0 (off) or positive")
            .ValidateOnStart();
        builder.Services.AddSingleton<QuotaInterceptor>();
        // The audit wraps the quota, so a refused call is audited with its RESOURCE_EXHAUSTED.
        builder.Services.AddGrpc().AddServiceOptions<Services.CableArchiveService>(o =>
        {
            o.Interceptors.Add<AuditInterceptor>();
            o.Interceptors.Add<QuotaInterceptor>();
        });

        if (options.Mode is null && OpenBinding.NonLoopback(OpenBinding.Configured(builder.Configuration)) is { Count: > 0 } open)
        {
            throw new InvalidOperationException(
                $"Refusing to serve {string.Join(", ", open)} without authentication: set {AuthOptions.Section}:Mode=Jwt (with Issuer, Audience and keys), "
                + $"or {AuthOptions.Section}:Mode=None to serve every caller everything on purpose, or bind a loopback address.");
        }

        if (!options.Enabled)
        {
            return builder;
        }

        var authentication = builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<AuthOptions>>((jwt, auth) => Configure(jwt, auth.Value));
        string[] schemes = [JwtBearerDefaults.AuthenticationScheme];
        if (options.ClientCertificateAuthority.Length > 0)
        {
            AddClientCertificates(builder, authentication, options);
            schemes = [JwtBearerDefaults.AuthenticationScheme, CertificateAuthenticationDefaults.AuthenticationScheme];
        }

        AuthorizationPolicyBuilder Authenticated(AuthorizationPolicyBuilder policy) =>
            (schemes.Length > 1 ? policy.AddAuthenticationSchemes(schemes) : policy).RequireAuthenticatedUser();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Scopes.Read, policy => Authenticated(policy).AddRequirements(new ScopeRequirement(Scopes.Read)))
            .AddPolicy(Scopes.Ingest, policy => Authenticated(policy).AddRequirements(new ScopeRequirement(Scopes.Ingest)))
            .AddPolicy(Scopes.AuthenticatedPolicy, policy => Authenticated(policy));
        builder.Services.AddSingleton<IAuthorizationHandler, ScopeHandler>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, GrpcAuthorizationResultHandler>();
        return builder;
    }

    /// <summary>
    /// Puts the scope each method needs on the service's endpoints (<see cref="Scopes.For"/>: a method added later
    /// needs <c>cables.read</c> unless it is an ingest), reflection behind authentication, or off. Health stays open.
    /// </summary>
    public static void SecureCableEndpoints(this WebApplication app, GrpcServiceEndpointConventionBuilder archive, Func<IEndpointConventionBuilder> mapReflection)
    {
        var options = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (options.Enabled)
        {
            archive.Add(endpoint =>
            {
                var method = endpoint.Metadata.OfType<GrpcMethodMetadata>().FirstOrDefault();
                endpoint.Metadata.Add(new AuthorizeAttribute(Scopes.For(method?.Method.Name ?? "")));
            });
        }

        if (options.Reflection)
        {
            var reflection = mapReflection();
            if (options.Enabled)
            {
                reflection.RequireAuthorization(Scopes.AuthenticatedPolicy);
            }
        }
    }

    /// <summary>
    /// Mutual TLS: TLS endpoints ask for a client certificate and let any through (Kestrel alone would check it against
    /// the system's roots); the certificate handler then accepts only a chain to the configured CA, and maps the
    /// certificate to claims (<see cref="CertificateClaims"/>). A call with neither a token nor a mapped certificate is
    /// UNAUTHENTICATED as before.
    /// </summary>
    private static void AddClientCertificates(WebApplicationBuilder builder, AuthenticationBuilder authentication, AuthOptions options)
    {
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
        {
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            https.AllowAnyClientCertificate();
        }));
        authentication.AddCertificate(certificate =>
        {
            certificate.AllowedCertificateTypes = CertificateTypes.All;
            certificate.ChainTrustValidationMode = X509ChainTrustMode.CustomRootTrust;
            certificate.CustomTrustStore.Add(X509CertificateLoader.LoadCertificateFromFile(options.ClientCertificateAuthority));
            certificate.RevocationMode = X509RevocationMode.NoCheck;
            certificate.Events = new CertificateAuthenticationEvents
            {
                OnCertificateValidated = context =>
                {
                    if (CertificateClaims.For(context.ClientCertificate, options, context.Scheme.Name) is { } principal)
                    {
                        context.Principal = principal;
                        context.Success();
                    }
                    else
                    {
                        context.Fail("the client certificate is not mapped to a caller");
                    }

                    return Task.CompletedTask;
                },
            };
        });
    }

    private static void Configure(JwtBearerOptions jwt, AuthOptions auth)
    {
        // Claims keep the names the issuer gave them (scope, clearance, controls), not WS-Federation URIs.
        jwt.MapInboundClaims = false;
        if (auth.Authority.Length > 0)
        {
            jwt.Authority = auth.Authority;
        }

        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = auth.Issuer,
            ValidAudience = auth.Audience,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = auth.ClockSkew,
            IssuerSigningKeys = auth.Authority.Length > 0 && auth.SigningKeys.Count + auth.SigningKeyFiles.Count == 0 ? null : StaticKeys(auth),
        };
    }

    /// <summary>The configured PEM public keys, RSA or EC; a key that is neither fails start-up.</summary>
    private static List<SecurityKey> StaticKeys(AuthOptions auth)
    {
        var keys = new List<SecurityKey>();
        foreach (var pem in auth.SigningKeys.Concat(auth.SigningKeyFiles.Select(File.ReadAllText)))
        {
            keys.Add(ReadPublicKey(pem));
        }

        return keys;
    }

    private static bool KeysAreReadable(AuthOptions auth)
    {
        try
        {
            return StaticKeys(auth).Count == auth.SigningKeys.Count + auth.SigningKeyFiles.Count;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or CryptographicException)
        {
            return false;
        }
    }

    public static SecurityKey ReadPublicKey(string pem)
    {
        try
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return new RsaSecurityKey(rsa);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(pem);
            return new ECDsaSecurityKey(ecdsa);
        }
    }

    /// <summary>Says at start-up, as a warning, that the service answers every caller with everything.</summary>
    private sealed class OpenServiceWarning(IOptions<AuthOptions> options, ILogger<OpenServiceWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (!options.Value.Enabled)
            {
                if (options.Value.Mode is null)
                {
                    logger.LogWarning("No authentication configured ({Section}:Mode): every caller sees every cable; serving loopback addresses only", AuthOptions.Section);
                }
                else
                {
                    logger.LogWarning("Authentication is off ({Section}:Mode=None): every caller that reaches the service sees every cable", AuthOptions.Section);
                }
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
