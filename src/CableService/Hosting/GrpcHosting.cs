using CableService.Database;
using CableService.Errors;
using CableService.Operations;
using CableService.Paging;
using CableService.Security;
using CableService.Services;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Grpc.AspNetCore.Server;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CableService.Hosting;

public static class GrpcHosting
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>
    /// gRPC over one HTTP/2 cleartext endpoint (<see cref="DefaultUrl"/> unless --urls or ASPNETCORE_URLS says otherwise),
    /// explicit message-size limits, errors as canonical statuses, health, reflection and the token key.
    /// </summary>
    public static WebApplicationBuilder AddCableGrpc(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // Npgsql and ASP.NET Core log every statement, COPY and request at Information: at bulk rates that drowns
        // what matters (and costs time), so they log warnings and errors only. EF Core runs only the migrations, and
        // logs as an error its probe of __EFMigrationsHistory on a new database, which fails by design: a migration
        // that really fails throws, and startup reports it.
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Critical);
        builder.Logging.AddFilter("Npgsql.Command", LogLevel.Warning);
        builder.Logging.AddFilter("Npgsql.Copy", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http2));
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<GrpcOptions>>((kestrel, configured) => EdgeLimits.Apply(kestrel.Limits, configured.Value));

        builder.Services.AddOptions<GrpcOptions>()
            .Bind(builder.Configuration.GetSection(GrpcOptions.Section))
            .Validate(o => o.MaxReceiveMessageSize > 0 && o.MaxSendMessageSize > 0, $"{GrpcOptions.Section} message sizes must be positive")
            .Validate(o => o.ResponseCompression is "" or "gzip", $"{GrpcOptions.Section}:ResponseCompression must be empty or gzip")
            .Validate(
                o => o.RequestBufferBudget == 0 || o.RequestBufferBudget >= o.MaxReceiveMessageSize,
                $"{GrpcOptions.Section}:RequestBufferBudget must be 0 (none) or at least MaxReceiveMessageSize")
            .Validate(EdgeLimits.AreValid, $"{GrpcOptions.Section} timeouts, rates and connection limits must be positive, the rate grace period over a second, MaxStreamsPerCaller zero or more")
            .ValidateOnStart();
        builder.Services.AddGrpc(options =>
        {
            options.Interceptors.Add<ErrorInterceptor>();
            options.Interceptors.Add<CallerStreamLimit>();
            options.Interceptors.Add<AdmissionInterceptor>();
        });
        builder.Services.AddOptions<GrpcServiceOptions>().Configure<IOptions<GrpcOptions>>((options, configured) =>
        {
            var limits = configured.Value;
            options.MaxReceiveMessageSize = limits.MaxReceiveMessageSize;
            options.MaxSendMessageSize = limits.MaxSendMessageSize;
            if (limits.ResponseCompression.Length > 0)
            {
                options.ResponseCompressionAlgorithm = limits.ResponseCompression;
                options.ResponseCompressionLevel = System.IO.Compression.CompressionLevel.Fastest;
            }
        });
        builder.Services.AddGrpcReflection();
        // The server as a whole ("") and the service by its full name, as gRPC health clients and Kubernetes probes ask.
        builder.Services
            .AddGrpcHealthChecks(options =>
            {
                options.Services.Map("", HealthProbes.CountsForReadiness);
                options.Services.Map(Cables.Api.V1.CableArchive.Descriptor.FullName, HealthProbes.CountsForReadiness);
            })
            .AddCheck<DatabaseHealthCheck>("database");

        builder.Services.AddOptions<TokenOptions>()
            .Bind(builder.Configuration.GetSection(TokenOptions.Section))
            .Validate(o => ResumeTokenKey.IsValid(o.SigningKey), $"{TokenOptions.Section}:SigningKey must be base64 of at least {ResumeTokenKey.MinimumBytes} bytes")
            .ValidateOnStart();
        builder.Services.AddSingleton<ResumeTokenKey>();
        // One instance for the host: it holds every caller's open streams.
        builder.Services.AddSingleton<CallerStreamLimit>();
        builder.Services.AddSingleton<CableService.Revisions.CableRevisions>();
        builder.Services.TryAddSingleton<ShutdownSignal>();
        return builder;
    }

    public static WebApplication MapCableEndpoints(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.Enabled)
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }

        var archive = app.MapGrpcService<CableArchiveService>();
        app.MapGrpcHealthChecksService();
        app.SecureCableEndpoints(archive, () => app.MapGrpcReflectionService());
        return app;
    }

    /// <summary>The addresses the server listens on once started (resolves port 0).</summary>
    public static IReadOnlyCollection<string> ListeningAddresses(this WebApplication app) =>
        app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];
}
