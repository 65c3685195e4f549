using Cables.Parsing.Model;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using static Cables.Cli.Tests.Fakes.IngestRuns;

namespace Cables.Cli.Tests;

/// <summary>How the session treats a failed stream: resent, isolated and quarantined, or the end of the run.</summary>
public sealed class IngestFailureTests
{
    [Theory]
    [InlineData(StatusCode.Unavailable, FailureKind.Transient)]
    [InlineData(StatusCode.Aborted, FailureKind.Transient)]
    [InlineData(StatusCode.Cancelled, FailureKind.Transient)]
    [InlineData(StatusCode.DeadlineExceeded, FailureKind.Transient)]
    [InlineData(StatusCode.Internal, FailureKind.Item)]
    [InlineData(StatusCode.Unknown, FailureKind.Item)]
    [InlineData(StatusCode.DataLoss, FailureKind.Item)]
    [InlineData(StatusCode.InvalidArgument, FailureKind.Item)]
    [InlineData(StatusCode.OutOfRange, FailureKind.Item)]
    [InlineData(StatusCode.ResourceExhausted, FailureKind.Item)]
    [InlineData(StatusCode.PermissionDenied, FailureKind.Fatal)]
    [InlineData(StatusCode.Unauthenticated, FailureKind.Fatal)]
    [InlineData(StatusCode.Unimplemented, FailureKind.Fatal)]
    [InlineData(StatusCode.NotFound, FailureKind.Fatal)]
    [InlineData(StatusCode.FailedPrecondition, FailureKind.Fatal)]
    public void Each_status_has_one_kind(StatusCode code, FailureKind kind) =>
        Assert.Equal(kind, IngestFailures.Classify(new RpcException(new Grpc.Core.Status(code, "detail"))));

    [Fact]
    public void Resource_exhausted_with_retry_info_is_transient_and_waits_as_asked()
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.ResourceExhausted,
            Message = "too busy",
            Details = { Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(3)) }) },
        };
        var error = status.ToRpcException();

        Assert.Equal(FailureKind.Transient, IngestFailures.Classify(error));
        Assert.Equal(TimeSpan.FromSeconds(3), IngestFailures.RetryDelay(error));
    }

    [Fact]
    public async Task A_transient_failure_is_resent_and_every_item_succeeds()
    {
        // The first connection aborts (a conflict in the store) after 30 commits, 20 of them answered.
        var service = new FakeCablesClient { AcknowledgeBeforeBreak = 20, BreakStatus = new(StatusCode.Aborted, "serialization failure") };
        service.BreakAfterCommits[1] = 30;
        var result = await RunAsync(service, Items(100), Fast);

        Assert.Equal(1, result.Counters.Reconnects);
        Assert.Equal(100, result.Counters.Created + result.Counters.Unchanged);
        Assert.Equal(0, result.Counters.Rejected);
        Assert.Equal(100, service.Commits.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)] // the poison's batch is answered as a whole or not at all: its neighbours must not be blamed
    public async Task A_poison_item_is_quarantined_after_its_resends_and_every_other_item_is_acknowledged(int batch)
    {
        var service = new FakeCablesClient { AcknowledgeBatch = batch };
        var items = Items(200);
        items[36] = SourceItem.Read("cables.csv#37", new RawCable("POISON", SourceFormat.CablesCsv, new SourceMetadata { ReferenceId = "10TEST37" }));
        var result = await RunAsync(service, items, Fast with { MaxResends = 3 });

        var rejection = Assert.Single(result.Listener.Rejections);
        Assert.Equal("cables.csv#37", rejection.ClientItemId);
        Assert.Equal("QUARANTINED", rejection.Reason);
        Assert.Contains("3 times", rejection.Details);
        Assert.Contains("Unknown", rejection.Details);
        Assert.Equal(1, result.Counters.Quarantined);
        Assert.Equal(199, result.Counters.Created + result.Counters.Unchanged);
        Assert.Equal(199, service.Commits.Count);
        Assert.Equal(200, result.Acknowledged.Count); // one final answer per item
        Assert.Equal(200, result.Acknowledged.Distinct().Count());
        Assert.InRange(service.PoisonReceived, 4, 10); // the first send, a few in isolating flights, then 3 alone
    }

    [Fact]
    public async Task A_failure_the_call_itself_gets_ends_the_run_without_a_resend()
    {
        var service = new FakeCablesClient { PoisonMarker = "cable", PoisonStatus = new(StatusCode.PermissionDenied, "no ingest for this caller") };
        var error = await Assert.ThrowsAsync<RpcException>(() => RunAsync(service, Items(50), Fast));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal(1, service.AcceptedConnections);
        Assert.Equal(1, service.PoisonReceived);
    }

    [Fact]
    public async Task A_service_that_fails_on_every_item_ends_the_run_instead_of_quarantining_them_all()
    {
        var service = new FakeCablesClient { PoisonMarker = "cable", PoisonStatus = new(StatusCode.Internal, "database is read-only") };
        var run = RunAsync(service, Items(100), Fast with { MaxResends = 2 });
        var error = await Assert.ThrowsAsync<ServiceUnavailableException>(() => run);

        Assert.Contains("in a row", error.Message);
        Assert.InRange(service.PoisonReceived, 10, 30); // 5 items, 2 times alone each, and the flights that found them
        Assert.Empty(service.Commits);
    }
}
