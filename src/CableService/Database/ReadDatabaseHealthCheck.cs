using Cables.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace CableService.Database;

/// <summary>
/// Which server answers reads: healthy while a standby serves them, unhealthy once they fell over to the primary. Only
/// the gRPC health name <see cref="Name"/> counts it (NOT_SERVING after a failover, for an operator's probe); readiness
/// does not, because the primary still serves every read.
/// </summary>
public sealed class ReadDatabaseHealthCheck([FromKeyedServices(CableStorageSetup.ReadsKey)] NpgsqlDataSource reads) : IHealthCheck
{
    public const string Name = "reads.standby";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await reads.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT pg_is_in_recovery()", connection);
            var standby = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
            var server = $"{connection.Host}:{connection.Port}";
            var data = new Dictionary<string, object> { ["server"] = server, ["role"] = standby ? "standby" : "primary" };
            return standby
                ? HealthCheckResult.Healthy($"reads served by the standby at {server}", data)
                : HealthCheckResult.Unhealthy($"reads served by the primary at {server}: no standby answers", data: data);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("no read database answers", e);
        }
    }
}
