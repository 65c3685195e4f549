using CableService.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CableService.Operations;

public static class GracefulShutdown
{
    public const string TimeoutKey = $"{ServiceOptions.Section}:{nameof(ServiceOptions.ShutdownTimeout)}";

    /// <summary>
    /// On SIGTERM: Kestrel stops taking connections and calls; <see cref="ShutdownSignal"/> lets open streams end with
    /// UNAVAILABLE (ingest after acknowledging what it read, queries with their resume token); the rest get
    /// <c>Cables:ShutdownTimeout</c> (30 s) to finish. Keep the orchestrator's grace period above it (deploy/README.md).
    /// </summary>
    public static WebApplicationBuilder AddGracefulShutdown(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<ServiceOptions>>((host, service) => host.ShutdownTimeout = service.Value.ShutdownTimeout);
        builder.Services.TryAddSingleton<ShutdownSignal>();
        return builder;
    }
}
