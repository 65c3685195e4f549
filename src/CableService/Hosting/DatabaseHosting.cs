using CableService.Database;
using Cables.Storage;
using Microsoft.Extensions.Options;

namespace CableService.Hosting;

public static class DatabaseHosting
{
    /// <summary>
    /// The store over the configured database (<c>CABLES_DATABASE</c> or <c>ConnectionStrings:Cables</c>), or over a
    /// PostgreSQL cluster of the service's own when neither is set; migrated at startup unless <c>Cables:MigrateOnStart=false</c>.
    /// Reads go to <c>CABLES_READ_DATABASE</c> or <c>ConnectionStrings:CablesRead</c> when one is set (a standby, or a
    /// multi-host string), unless a call asks for the primary (<see cref="ReadRouting"/>).
    /// </summary>
    public static WebApplicationBuilder AddCableDatabase(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var connectionString = configuration["CABLES_DATABASE"] is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : configuration.GetConnectionString("Cables");
        var embedded = string.IsNullOrEmpty(connectionString);
        if (embedded)
        {
            // Bound here as well as registered: the connection string is needed before the container is built.
            var section = configuration.GetSection(EmbeddedPostgresOptions.Section);
            var options = section.Get<EmbeddedPostgresOptions>() ?? new();
            builder.Services.AddOptions<EmbeddedPostgresOptions>()
                .Bind(section)
                .Validate(o => o.Port is > 0 and < 65536, $"{EmbeddedPostgresOptions.Section}:Port must be a TCP port")
                .Validate(o => !string.IsNullOrWhiteSpace(o.DataDirectory), $"{EmbeddedPostgresOptions.Section}:DataDirectory must not be empty")
                .ValidateOnStart();
            builder.Services.AddSingleton<EmbeddedPostgres>();
            connectionString = options.ConnectionString;
        }

        builder.Services.AddSingleton(services => new CableDatabase(
            connectionString!,
            embedded ? services.GetRequiredService<EmbeddedPostgres>() : null,
            services.GetRequiredService<IOptions<ServiceOptions>>().Value.MigrateOnStart));
        var readConnectionString = configuration["CABLES_READ_DATABASE"] is { Length: > 0 } readFromEnvironment
            ? readFromEnvironment
            : configuration.GetConnectionString("CablesRead");
        // Bound here as well as registered: the data sources are built from the connection string before the container.
        var limits = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new();
        builder.Services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.Section))
            .Validate(o => o.MaxPoolSize > 0 && o.MaxConcurrentReads > 0 && o.MaxConcurrentCommits > 0, $"{DatabaseOptions.Section} pool size and concurrencies must be positive")
            .Validate(o => o.ReadQueueLimit >= 0 && o.CommitQueueLimit >= 0, $"{DatabaseOptions.Section} queue limits must not be negative")
            .Validate(
                o => o.MaxConcurrentReads + o.MaxConcurrentCommits <= o.MaxPoolSize,
                $"{DatabaseOptions.Section}:MaxConcurrentReads + MaxConcurrentCommits must not exceed MaxPoolSize (the indexers need connections too)")
            .Validate(o => o.ConnectionIdleLifetime >= TimeSpan.FromSeconds(1), $"{DatabaseOptions.Section}:ConnectionIdleLifetime must be at least a second")
            .Validate(o => o.RetryAfter > TimeSpan.Zero, $"{DatabaseOptions.Section}:RetryAfter must be positive")
            .ValidateOnStart();
        builder.Services.AddSingleton<DatabaseAdmission>();
        builder.Services.AddCableStorage(connectionString!, readConnectionString, source =>
        {
            source.ConnectionStringBuilder.MaxPoolSize = limits.MaxPoolSize;
            var idleSeconds = Math.Max(1, (int)limits.ConnectionIdleLifetime.TotalSeconds);
            source.ConnectionStringBuilder.ConnectionIdleLifetime = idleSeconds;
            source.ConnectionStringBuilder.ConnectionPruningInterval = Math.Min(idleSeconds, 10); // Npgsql requires pruning no rarer than the lifetime
        });
        if (!string.IsNullOrEmpty(readConnectionString))
        {
            builder.Services.AddHealthChecks().AddCheck<ReadDatabaseHealthCheck>(ReadDatabaseHealthCheck.Name, tags: [ReadDatabaseHealthCheck.Name]);
        }

        builder.Services.AddHostedService<DatabaseStartup>();
        return builder;
    }
}
