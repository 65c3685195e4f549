using CableService.Indexing;
using CableService.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CableService.Tests.Units;

public sealed class SearchIndexerTests
{
    [Theory]
    [InlineData(0.05, 1900)] // the default: one batch's time in twenty
    [InlineData(0.25, 300)]
    [InlineData(0.5, 100)]
    [InlineData(1.0, 0)]
    [InlineData(0.0, 0)] // no share: the worker does not rest after a batch, it waits for ingest to pause before one
    public void The_working_indexer_rests_so_that_it_works_its_share_during_ingest(double share, int restMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(restMs), SearchIndexer.RestAfter(TimeSpan.FromMilliseconds(100), share));

    [Fact]
    public void Indexes_a_twentieth_of_the_time_during_ingest_unless_configured() =>
        Assert.Equal(0.05, new IngestOptions().SearchIndexShareDuringIngest);

    [Theory]
    [InlineData("-0.1")]
    [InlineData("1.5")]
    public void A_share_outside_zero_to_one_is_refused_naming_the_setting(string share)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Cables:Ingest:SearchIndexShareDuringIngest"] = share });
        builder.AddCableIngest();
        using var app = builder.Build();

        var error = Assert.Throws<OptionsValidationException>(object? () => app.Services.GetRequiredService<IOptions<IngestOptions>>().Value);
        Assert.Contains("Cables:Ingest:SearchIndexShareDuringIngest must be between 0 and 1", error.Message, StringComparison.Ordinal);
    }
}
