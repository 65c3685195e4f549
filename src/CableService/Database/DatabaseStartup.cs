using Cables.Storage;

namespace CableService.Database;

/// <summary>
/// Before the server accepts calls: start the embedded cluster when there is one, then apply migrations
/// (unless <c>Cables:MigrateOnStart=false</c>). Stops the embedded cluster at shutdown.
/// </summary>
public sealed class DatabaseStartup(CableDatabase database, IServiceProvider services, ILogger<DatabaseStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (database.Embedded is { } embedded)
        {
            await embedded.StartAsync(cancellationToken);
        }

        if (database.MigrateOnStart)
        {
            logger.LogInformation("Applying database migrations");
            await CableStorageSetup.MigrateAsync(services, cancellationToken);
        }

        database.MarkReady();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (database.Embedded is { } embedded)
        {
            await embedded.StopAsync(cancellationToken);
        }
    }
}
