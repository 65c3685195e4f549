using CableService.Indexing;
using CableService.Ingest;
using CableService.Operations;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CableService.Hosting;

public static class IngestHosting
{
    /// <summary>
    /// The ingest pipeline (intake, batching, commits) and the full-text indexers that follow it, with their options
    /// (section <c>Cables:Ingest</c>).
    /// </summary>
    public static WebApplicationBuilder AddCableIngest(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestOptions>()
            .Bind(builder.Configuration.GetSection(IngestOptions.Section))
            .Validate(
                options => options.SearchIndexShareDuringIngest is >= 0 and <= 1,
                $"{IngestOptions.Section}:{nameof(IngestOptions.SearchIndexShareDuringIngest)} must be between 0 and 1")
            .Validate(options => options.ParseBudget > TimeSpan.Zero, $"{IngestOptions.Section}:{nameof(IngestOptions.ParseBudget)} must be positive")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CableIntake>();
        builder.Services.AddSingleton<RequestBufferBudget>();
        builder.Services.AddSingleton<IngestMetrics>();
        builder.Services.AddSingleton<IngestProcessor>();
        builder.Services.AddSingleton<IngestPipeline>();
        builder.Services.AddSingleton<PendingIndexMerger>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PendingIndexMerger>());
        builder.Services.AddSingleton<SearchIndexer>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SearchIndexer>());
        builder.Services.TryAddSingleton<ShutdownSignal>();
        return builder;
    }
}
