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
    /// <summary>
    /// Adds one <see cref="NpgsqlDataSource"/> (the connection pool), a pooled <see cref="CablesDbContext"/> on it, and
    /// <see cref="CableStore"/>. <paramref name="configure"/> can add to the data source (tracing, logging, pool sizes).
    /// </summary>
    public static IServiceCollection AddCableStorage(this IServiceCollection services, string connectionString, Action<NpgsqlDataSourceBuilder>? configure = null)
    {
        services.TryAddSingleton(provider =>
        {
            var builder = new NpgsqlDataSourceBuilder(connectionString);
            if (provider.GetService<ILoggerFactory>() is { } loggerFactory)
            {
                builder.UseLoggerFactory(loggerFactory);
            }

            configure?.Invoke(builder);
            return builder.Build();
        });
        services.AddDbContextPool<CablesDbContext>((provider, options) => options.UseNpgsql(provider.GetRequiredService<NpgsqlDataSource>()));
        services.TryAddSingleton<CableStore>();
        return services;
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
