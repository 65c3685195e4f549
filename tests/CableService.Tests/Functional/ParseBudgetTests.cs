using System.Text;

namespace CableService.Tests.Functional;

/// <summary>
/// Each item is parsed under <c>Cables:Ingest:ParseBudget</c>: an item over it is REJECTED with PARSE_BUDGET_EXCEEDED
/// while the items sent with it are stored, and a call cancelled mid-parse stops its parse. The service's clock is a
/// <see cref="StepClock"/> (a millisecond per reading, per thread), so the budget counts the parser's checks.
/// </summary>
public sealed class ParseBudgetTests : IAsyncLifetime, IDisposable
{
    private static readonly string[] s_good = [.. Corpus.Sample(1500).Take(3).Select(t => t.ReferenceId)];

    private readonly TestDatabase _database = new();
    private readonly ManualResetEventSlim _release = new();
    private readonly TaskCompletionSource _parsing = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private StepClock? _clock;
    private int _hostileReads;
    private volatile bool _hold;
    private TestServiceHost? _host;

    private TestServiceHost Host => _host!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _clock = new StepClock(OnRead);
        _host = await TestServiceHost.StartAsync(_database.ConnectionString, new TestServiceHostOptions
        {
            Settings = new Dictionary<string, string?> { ["Cables:Ingest:ParseBudget"] = "00:00:02" },
            ConfigureServices = services => services.AddSingleton<TimeProvider>(_clock),
        });
    }

    public async Task DisposeAsync()
    {
        _release.Set();
        await Host.DisposeAsync();
        await _database.DisposeAsync();
    }

    public void Dispose()
    {
        _clock?.Dispose();
        _release.Dispose();
    }

    [Fact]
    public async Task An_item_over_its_parse_budget_is_rejected_and_the_items_sent_with_it_are_stored()
    {
        var requests = new List<Api.IngestCableRequest> { Good(0), Hostile("hostile"), Good(1), Good(2) };

        var responses = await Host.Client.IngestAllAsync(requests);

        Assert.Equal(Api.IngestOutcome.Rejected, responses["hostile"].Outcome);
        Assert.Equal("PARSE_BUDGET_EXCEEDED", responses["hostile"].Reason);
        foreach (var id in s_good)
        {
            Assert.True(responses[id].Outcome == Api.IngestOutcome.Created, $"{responses[id].Outcome} {responses[id].Reason}: {responses[id].Details}");
            Assert.Equal(id, (await Host.Client.GetCableAsync(new Api.GetCableRequest { ReferenceId = id })).ReferenceId);
        }

        await AssertNotStoredAsync("08HOSTILE1");
    }

    [Fact]
    public async Task A_single_item_over_its_parse_budget_is_rejected()
    {
        var response = await Host.Client.IngestCableAsync(Hostile("alone"));

        Assert.Equal(Api.IngestOutcome.Rejected, response.Outcome);
        Assert.Equal("PARSE_BUDGET_EXCEEDED", response.Reason);
        Assert.Contains("budget of 2000 ms", response.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_cancelled_mid_parse_stops_its_parse()
    {
        _hold = true; // the hostile parse waits at its tenth check until the call is gone
        using var cancellation = new CancellationTokenSource();
        var call = Host.Client.IngestCableAsync(Hostile("cancelled"), cancellationToken: cancellation.Token);
        await _parsing.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await cancellation.CancelAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(1)); // the service sees the stream reset
        _release.Set();
        await Task.Delay(TimeSpan.FromSeconds(1));

        // The next check found the call cancelled before it read the clock: unstopped, the parse reads it thousands of times.
        Assert.Equal(10, Volatile.Read(ref _hostileReads));
        await AssertNotStoredAsync("08HOSTILE1");
    }

    /// <summary>In the cancellation test, the one parse there is: held at its tenth reading of the clock until released.</summary>
    private void OnRead(int reads)
    {
        if (!_hold)
        {
            return;
        }

        Volatile.Write(ref _hostileReads, reads);
        if (reads == 10)
        {
            _parsing.TrySetResult();
            _release.Wait(TimeSpan.FromSeconds(30));
        }
    }

    private async Task AssertNotStoredAsync(string id)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Host.Client.GetCableAsync(new Api.GetCableRequest { ReferenceId = id }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    private static Api.IngestCableRequest Good(int index) =>
        Ingestion.Identified(Corpus.Truth.Single(t => t.ReferenceId == s_good[index]));

    /// <summary>About a megabyte of header lines: within the size limit, far over the parse budget.</summary>
    private static Api.IngestCableRequest Hostile(string clientItemId)
    {
        var text = new StringBuilder();
        while (text.Length < 1_000_000)
        {
            text.Append("DE RUEHBS #1390/01 2491818\n");
        }

        return new Api.IngestCableRequest
        {
            ClientItemId = clientItemId,
            RawText = text.ToString(),
            Metadata = new Api.SourceMetadata { ReferenceId = "08HOSTILE1" },
        };
    }
}
