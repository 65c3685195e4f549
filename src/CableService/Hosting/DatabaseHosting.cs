using CableService.Database;
using Cables.Storage;

namespace CableService.Hosting;

public static class DatabaseHosting
{
    /// <summary>
    /// The store over the configured database (<c>CABLES_DATABASE</c> or <c>ConnectionStrings:Cables</c>), or over a
    /// PostgreSQL cluster of the service's own when neither is set; migrated at startup unless <c>Cables:MigrateOnStart=false</c>.
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
            var options = configuration.GetSection(EmbeddedPostgresOptions.Section).Get<EmbeddedPostgresOptions>() ?? new();
            builder.Services.AddSingleton(options);
            builder.Services.AddSingleton<EmbeddedPostgres>();
            connectionString = options.ConnectionString;
        }

        var migrate = configuration.GetValue("Cables:MigrateOnStart", defaultValue: true);
        builder.Services.AddSingleton(services =>
            new CableDatabase(connectionString!, embedded ? services.GetRequiredService<EmbeddedPostgres>() : null, migrate));
        builder.Services.AddCableStorage(connectionString!);
        builder.Services.AddHostedService<DatabaseStartup>();
        return builder;
    }
}
