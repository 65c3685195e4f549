using CableService.Operations;
using CableService.Security;
using CableService.Telemetry;

namespace CableService.Hosting;

/// <summary>The whole service in one call, so Program.cs and the test hosts compose exactly the same app.</summary>
public static class CableServiceHosting
{
    public static WebApplicationBuilder AddCableService(this WebApplicationBuilder builder)
    {
        // Section Cables itself (migrations at start, shutdown timeout): read by the database and shutdown parts.
        builder.Services.AddOptions<ServiceOptions>().Bind(builder.Configuration.GetSection(ServiceOptions.Section));
        builder.AddCableDatabase();
        builder.AddCableIngest();
        builder.AddCableWatch();
        builder.AddCableGrpc();
        builder.AddCableAuth();
        builder.AddHealthProbes();
        builder.AddGracefulShutdown();
        builder.AddCableTelemetry();
        return builder;
    }
}
