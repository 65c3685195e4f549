using CableService.Watching;

namespace CableService.Hosting;

public static class WatchHosting
{
    /// <summary>WatchCables: the instance's change feed (one LISTEN connection), the pruner, and their options (section <c>Cables:Watch</c>).</summary>
    public static WebApplicationBuilder AddCableWatch(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WatchOptions>()
            .Bind(builder.Configuration.GetSection(WatchOptions.Section))
            .Validate(o => o.Problem() is null, $"{WatchOptions.Section} is invalid: Retention, PruneInterval and PollInterval (at least 10 ms) positive, HeartbeatInterval at least 100 ms, MaxQueuedChanges at least 1, ReadChunkSize 1-10000")
            .ValidateOnStart();
        builder.Services.AddSingleton<ChangeFeed>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ChangeFeed>());
        builder.Services.AddHostedService<ChangePruner>();
        builder.Services.AddSingleton<CableWatch>();
        return builder;
    }
}
