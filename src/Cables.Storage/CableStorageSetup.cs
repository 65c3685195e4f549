using Cables.Storage.Schema;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Cables.Storage;

/// <summary>Registers the store and applies the schema migrations.</summary>
public static class CableStorageSetup
{
    /// <summary>The service key of the read data source and its store, when reads have a data source of their own.</summary>
    public const string ReadsKey = "reads";

    /// <summary>
    /// Adds the primary's <see cref="NpgsqlDataSource"/> (the connection pool), a pooled <see cref="CablesDbContext"/> on it,
    /// <see cref="CableStore"/> over it, and <see cref="CableStores"/>. With <paramref name="readConnectionString"/>, reads
    /// get a data source and store of their own (keyed <see cref="ReadsKey"/>); a multi-host string prefers standbys and
    /// fails over to the next host, the primary listed last as a rule. <paramref name="configure"/> can add to both data
    /// sources (tracing, logging, pool sizes).
    /// </summary>
    public static IServiceCollection AddCableStorage(
        this IServiceCollection services, string connectionString, string? readConnectionString = null, Action<NpgsqlDataSourceBuilder>? configure = null)
    {
        services.TryAddSingleton(provider => BuildDataSource(provider, connectionString, configure));
        services.AddDbContextPool<CablesDbContext>((provider, options) => options.UseNpgsql(provider.GetRequiredService<NpgsqlDataSource>()));
        services.TryAddSingleton<CableStore>();
        if (string.IsNullOrWhiteSpace(readConnectionString))
        {
            services.TryAddSingleton(provider =>
            {
                var primary = provider.GetRequiredService<CableStore>();
                return new CableStores(primary, primary);
            });
            return services;
        }

        services.TryAddKeyedSingleton(ReadsKey, (provider, _) => BuildReadDataSource(provider, readConnectionString, configure));
        services.TryAddKeyedSingleton(ReadsKey, (provider, key) => new CableStore(
            provider.GetRequiredKeyedService<NpgsqlDataSource>(key),
            provider.GetService<ILogger<CableStore>>()));
        services.TryAddSingleton(provider => new CableStores(
            provider.GetRequiredService<CableStore>(),
            provider.GetRequiredKeyedService<CableStore>(ReadsKey)));
        return services;
    }

    private static NpgsqlDataSource BuildDataSource(IServiceProvider provider, string connectionString, Action<NpgsqlDataSourceBuilder>? configure)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (provider.GetService<ILoggerFactory>() is { } loggerFactory)
        {
            builder.UseLoggerFactory(loggerFactory);
        }

        configure?.Invoke(builder);
        return builder.Build();
    }

    /// <summary>
    /// A multi-host read source serves from a standby while one answers, and from another listed host when none does:
    /// <c>Target Session Attributes</c> is <c>prefer-standby</c> unless the string names another.
    /// </summary>
    private static NpgsqlDataSource BuildReadDataSource(IServiceProvider provider, string connectionString, Action<NpgsqlDataSourceBuilder>? configure)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (settings.Host?.Contains(',', StringComparison.Ordinal) == true && string.IsNullOrEmpty(settings.TargetSessionAttributes))
        {
            settings.TargetSessionAttributes = "prefer-standby";
        }

        return BuildDataSource(provider, settings.ConnectionString, configure);
    }

    /// <summary>Applies pending EF Core migrations through the registered <see cref="CablesDbContext"/>.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CablesDbContext>();
        await db.Database.MigrateAsync(ct);
    }

    /// <summary>Applies pending EF Core migrations to the database of <paramref name="connectionString"/>.</summary>
    public static async Task MigrateAsync(string connectionString, CancellationToken ct)
    {
        var options = new DbContextOptionsBuilder<CablesDbContext>().UseNpgsql(connectionString).Options;
        await using var db = new CablesDbContext(options);
        await db.Database.MigrateAsync(ct);
    }
}
