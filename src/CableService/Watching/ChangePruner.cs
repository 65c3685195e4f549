using Cables.Storage;
using Microsoft.Extensions.Options;

namespace CableService.Watching;

/// <summary>
/// Deletes logged changes older than <see cref="WatchOptions.Retention"/> every <see cref="WatchOptions.PruneInterval"/>
/// (the first time one interval after start), leaving the marker that makes an older position answer POSITION_EXPIRED.
/// </summary>
public sealed class ChangePruner(CableStores stores, IOptions<WatchOptions> options, ILogger<ChangePruner> logger) : BackgroundService
{
    private readonly WatchOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.PruneInterval);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await timer.WaitForNextTickAsync(stoppingToken);
                var pruned = await stores.Primary.PruneChangesAsync(_options.Retention, stoppingToken);
                if (pruned > 0)
                {
                    logger.LogInformation("Pruned {Count} changes older than {Retention} from the change log", pruned, _options.Retention);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Pruning the change log failed; trying again in {Interval}", _options.PruneInterval);
            }
        }
    }
}
