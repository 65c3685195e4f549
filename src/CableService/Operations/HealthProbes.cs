using CableService.Database;
using Grpc.AspNetCore.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CableService.Operations;

/// <summary>
/// The grpc.health.v1 service names that probes ask for. "liveness" depends on nothing but the process answering, so a
/// database outage never restarts the pods; "readiness" (and "") run every check: the database, and whether the host
/// is stopping. "reads.standby", when reads have a data source of their own, is SERVING while a standby serves them.
/// </summary>
public static class HealthProbes
{
    public const string Liveness = "liveness";
    public const string Readiness = "readiness";

    private const string LiveTag = "live";

    /// <summary>Every check but which server answers reads: a primary serving them after a failover is still ready.</summary>
    public static bool CountsForReadiness(HealthCheckMapContext result) => !result.Tags.Contains(ReadDatabaseHealthCheck.Name);

    public static WebApplicationBuilder AddHealthProbes(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<ShutdownSignal>();
        builder.Services.AddHealthChecks()
            .AddCheck("process", () => HealthCheckResult.Healthy(), tags: [LiveTag])
            .AddCheck<StoppingHealthCheck>("stopping");
        builder.Services.Configure<GrpcHealthChecksOptions>(options =>
        {
            options.Services.Map(Liveness, result => result.Tags.Contains(LiveTag));
            options.Services.Map(Readiness, CountsForReadiness);
            options.Services.Map(ReadDatabaseHealthCheck.Name, result => result.Tags.Contains(ReadDatabaseHealthCheck.Name));
        });
        return builder;
    }

    /// <summary>Not ready once the host is stopping: load balancers and client-side resolvers stop sending new calls.</summary>
    private sealed class StoppingHealthCheck(ShutdownSignal shutdown) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(shutdown.IsStopping ? HealthCheckResult.Unhealthy("the host is stopping") : HealthCheckResult.Healthy());
    }
}
