using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace CableService.Database;

/// <summary>Readiness: migrations are done and the database answers a trivial query through the store's pool.</summary>
public sealed class DatabaseHealthCheck(CableDatabase database, NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!database.IsReady)
        {
            return HealthCheckResult.Unhealthy("the database is being started or migrated");
        }

        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("the database does not answer", e);
        }
    }
}
