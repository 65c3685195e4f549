using CableService.Ingest;

namespace CableService.Tests.Limits;

/// <summary>
/// <c>Cables:Grpc:RequestBufferBudget</c> bounds the bytes of ingest requests held over every call: streams wait for
/// room (and lose nothing), a unary call that finds none is RESOURCE_EXHAUSTED with a <c>RetryInfo</c>.
/// </summary>
public sealed class RequestBufferBudgetTests
{
    private const int Budget = 128 * 1024;

    private static readonly Dictionary<string, string?> s_smallBudget = new()
    {
        ["Cables:Grpc:RequestBufferBudget"] = Budget.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Cables:Grpc:MaxReceiveMessageSize"] = (96 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task Concurrent_ingest_streams_never_hold_more_than_the_budget_and_every_item_is_stored()
    {
        await using var limited = await LimitedHost.StartAsync(s_smallBudget);
        var budget = limited.Host.Services.GetRequiredService<RequestBufferBudget>();
        // The largest cables of a spread, so that a few of them fill the budget.
        var cables = Corpus.Sample(5).DistinctBy(c => c.ReferenceId).OrderByDescending(c => new FileInfo(c.Path).Length).Take(80).ToList();
        var most = 0L;
        using var done = new CancellationTokenSource();
        var watching = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                most = Math.Max(most, budget.Held);
                await Task.Delay(1);
            }
        });

        var streams = cables.Chunk(20).Select(part => Task.Run(() => limited.Host.Client.IngestAllAsync(part.Select(Ingestion.Identified)))).ToList();
        var answers = (await Task.WhenAll(streams)).SelectMany(a => a.Values).ToList();
        await done.CancelAsync();
        await watching;

        Assert.Equal(cables.Count, answers.Count);
        Assert.All(answers, a => Assert.True(a.Outcome == Api.IngestOutcome.Created, $"{a.ClientItemId}: {a.Outcome} {a.Reason} {a.Details}"));
        Assert.Equal(cables.Count, await limited.Database.ScalarAsync("SELECT count(*) FROM cables"));
        Assert.True(budget.Waits > 0, "the streams never had to wait: the budget was not reached");
        Assert.InRange(most, 1, Budget);
        Assert.Equal(0, budget.Held);
    }

    [Fact]
    public async Task A_unary_ingest_without_room_is_resource_exhausted_and_a_stream_waits_until_there_is_room()
    {
        await using var limited = await LimitedHost.StartAsync(s_smallBudget);
        var budget = limited.Host.Services.GetRequiredService<RequestBufferBudget>();
        var cables = Corpus.Sample(700).Take(2).ToList();
        var waitsBefore = budget.Waits;
        var everything = await budget.ReserveAsync(Budget, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<RpcException>(() => limited.Host.Client.IngestCableAsync(Ingestion.Identified(cables[0])).ResponseAsync);
        using var call = limited.Host.Client.IngestCables();
        await call.RequestStream.WriteAsync(Ingestion.Identified(cables[1]));
        var answer = call.ResponseStream.MoveNext();
        var waiting = System.Diagnostics.Stopwatch.StartNew();
        while (budget.Waits < waitsBefore + 2 && waiting.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(10); // until the stream's item waits for room
        }

        Assert.Equal(waitsBefore + 2, budget.Waits); // the unary call's wait, then the stream's
        Assert.False(answer.IsCompleted, "the stream's item was answered while the budget had no room");

        everything!.Dispose();

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        var status = refused.GetRpcStatus()!;
        Assert.Equal(RequestBufferBudget.Exhausted, status.GetDetail<ErrorInfo>().Reason);
        Assert.True(status.GetDetail<RetryInfo>().RetryDelay.ToTimeSpan() > TimeSpan.Zero);
        Assert.True(await answer.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(Api.IngestOutcome.Created, call.ResponseStream.Current.Outcome);
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext());
        Assert.Equal(Api.IngestOutcome.Created, (await limited.Host.Client.IngestCableAsync(Ingestion.Identified(cables[0]))).Outcome);
        Assert.Equal(2, await limited.Database.ScalarAsync("SELECT count(*) FROM cables"));
    }
}
