using CableService.Database;
using CableService.Indexing;
using CableService.Security;
using CableService.Telemetry;
using Cables.Api.V1.Mapping;
using Cables.Storage;
using Npgsql;

namespace CableService.Ingest;

/// <summary>A batch of requests and what intake made of each.</summary>
public sealed record PreparedBatch(IReadOnlyList<Api.IngestCableRequest> Requests, IntakeResult[] Items)
{
    /// <summary>The reference ids of the cables this batch will store.</summary>
    public IReadOnlySet<string> ReferenceIds()
    {
        var ids = new HashSet<string>(Items.Length, StringComparer.Ordinal);
        foreach (var item in Items)
        {
            if (item.Cable?.Cable.ReferenceId is { } id)
            {
                ids.Add(id);
            }
        }

        return ids;
    }
}

/// <summary>
/// Turns a batch of requests into responses: parse in parallel, hand the accepted cables to the store in
/// one call, answer each item once its row is committed. Rejected items never reach the store, nor do items above the
/// writer's clearance (<see cref="WriteClearance"/>), which are answered alike whether or not their id is stored.
/// </summary>
public sealed class IngestProcessor(
    CableStore store,
    CableIntake intake,
    IngestMetrics metrics,
    PendingIndexMerger indexMerger,
    SearchIndexer searchIndexer,
    DatabaseAdmission admission,
    RequestBufferBudget buffers,
    WriteClearance clearance,
    ILogger<IngestProcessor> logger)
{
    public const string AboveClearance = "ABOVE_CLEARANCE";

    /// <summary>The one text of every ABOVE_CLEARANCE answer: it never says whether the id is stored.</summary>
    public const string AboveClearanceDetails = "the caller's clearance does not cover this cable";

    /// <summary>
    /// A unary ingest: its requests hold their bytes of the <see cref="RequestBufferBudget"/> while they are parsed and
    /// committed. A call that finds no room within a short wait is refused RESOURCE_EXHAUSTED with a <c>RetryInfo</c>:
    /// its message is already read, and waiting longer would only hold it where the budget cannot count it.
    /// </summary>
    public async Task<Api.IngestCableResponse[]> ProcessAsync(IReadOnlyList<Api.IngestCableRequest> batch, CableVisibility writer, CancellationToken cancellationToken)
    {
        using var held = await buffers.ReserveOrRefuseAsync(batch.Sum(request => request.CalculateSize()), cancellationToken);
        return await CommitAsync(Prepare(batch, cancellationToken), writer, cancellationToken);
    }

    /// <summary>
    /// Validates and parses every item of the batch, in parallel, each under the parse budget. CPU only: no I/O.
    /// Throws <see cref="OperationCanceledException"/> once <paramref name="cancellationToken"/> is cancelled, the parses
    /// under way stopped.
    /// </summary>
    public PreparedBatch Prepare(IReadOnlyList<Api.IngestCableRequest> batch, CancellationToken cancellationToken)
    {
        var prepared = new IntakeResult[batch.Count];
        using (var parsing = CableTelemetry.Source.StartActivity(CableTelemetry.Spans.ParseBatch))
        {
            parsing?.SetTag("cables.count", batch.Count);
            if (batch.Count == 1)
            {
                prepared[0] = intake.Prepare(batch[0], cancellationToken);
            }
            else
            {
                try
                {
                    Parallel.For(
                        0, batch.Count, new ParallelOptions { CancellationToken = cancellationToken }, i => prepared[i] = intake.Prepare(batch[i], cancellationToken));
                }
                catch (AggregateException e) when (cancellationToken.IsCancellationRequested && e.InnerExceptions.All(x => x is OperationCanceledException))
                {
                    throw new OperationCanceledException(cancellationToken);
                }
            }
        }

        return new(batch, prepared);
    }

    /// <summary>
    /// Stores the accepted cables of a prepared batch that <paramref name="writer"/> may write, in one call, and answers
    /// every item, in batch order.
    /// </summary>
    public async Task<Api.IngestCableResponse[]> CommitAsync(PreparedBatch batch, CableVisibility writer, CancellationToken cancellationToken)
    {
        var (requests, prepared) = batch;
        var accepted = new List<CableToStore>(requests.Count);
        var permitted = new bool[prepared.Length];
        for (var i = 0; i < prepared.Length; i++)
        {
            if (prepared[i].Cable is { } cable && (permitted[i] = clearance.Allows(writer, cable.Cable)))
            {
                accepted.Add(cable);
            }
        }

        var stored = accepted.Count == 0 ? [] : await StoreAsync(accepted, writer, cancellationToken);
        var responses = new Api.IngestCableResponse[requests.Count];
        for (int i = 0, next = 0; i < requests.Count; i++)
        {
            var item = prepared[i];
            var response = new Api.IngestCableResponse { ClientItemId = requests[i].ClientItemId, Format = CableMessages.ToApi(item.Format) };
            if (item.Cable is { } cable)
            {
                response.ReferenceId = cable.Cable.ReferenceId ?? "";
                response.Warnings.AddRange(cable.Cable.Warnings.Select(CableMessages.ToApi));
                CableTelemetry.ParseWarnings.Add(cable.Cable.Warnings.Count);
                var outcome = permitted[i] ? stored[next++] : default;
                if (!permitted[i] || outcome.Result is { Outcome: IngestOutcome.Withheld })
                {
                    // Above the writer, or under an id held by a cable above it: one answer for both, nothing stored.
                    Reject(response, AboveClearance, AboveClearanceDetails);
                }
                else if (outcome.Result is { } result)
                {
                    response.Outcome = ToApi(result.Outcome);
                    response.ReferenceId = result.ReferenceId;
                }
                else
                {
                    Reject(response, "STORE_REJECTED", outcome.Error!);
                }
            }
            else
            {
                Reject(response, item.Reason!, item.Details!);
            }

            metrics.Item(response.Outcome);
            responses[i] = response;
        }

        return responses;
    }

    /// <summary>
    /// One store call for the batch. Should the database refuse the batch's data (a data or integrity error),
    /// each cable is retried alone so that only the offending ones are rejected; other failures propagate.
    /// </summary>
    private async Task<(StoreResult? Result, string? Error)[]> StoreAsync(List<CableToStore> cables, CableVisibility writer, CancellationToken cancellationToken)
    {
        try
        {
            // A turn in the commit queue (RESOURCE_EXHAUSTED when it is full), held for the commit alone.
            using var turn = await admission.EnterCommitAsync(cancellationToken);
            using var storing = CableTelemetry.Source.StartActivity(CableTelemetry.Spans.StoreBatch);
            storing?.SetTag("cables.count", cables.Count);
            var results = await store.IngestAsync(cables, writer, cancellationToken);
            metrics.Batch(cables.Count);
            indexMerger.Committed();
            searchIndexer.Committed();
            return [.. results.Select(r => ((StoreResult?)r, (string?)null))];
        }
        catch (Exception e) when (IsAboutTheRows(e))
        {
            if (cables.Count == 1)
            {
                logger.LogWarning("The store refused cable {ReferenceId}: {Error}", cables[0].Cable.ReferenceId, e.Message);
                return [(null, e is PostgresException p ? $"{p.SqlState}: {p.MessageText}" : e.Message)];
            }
        }

        var isolated = new (StoreResult?, string?)[cables.Count];
        for (var i = 0; i < cables.Count; i++)
        {
            isolated[i] = (await StoreAsync([cables[i]], writer, cancellationToken))[0];
        }

        return isolated;
    }

    /// <summary>
    /// A failure a row can cause (a value the store or the database refuses), as opposed to one of the database as a
    /// whole (transient: the batch is retried by the client) or of the service. The batch is then split so that only
    /// the offending cables are rejected and the others are stored.
    /// </summary>
    private static bool IsAboutTheRows(Exception e) => e switch
    {
        ArgumentException => true,
        PostgresException { IsTransient: false } p => p.SqlState[..2] is "22" or "23" or "54",
        _ => false,
    };

    private static void Reject(Api.IngestCableResponse response, string reason, string details)
    {
        response.Outcome = Api.IngestOutcome.Rejected;
        response.Reason = reason;
        response.Details = details;
    }

    private static Api.IngestOutcome ToApi(IngestOutcome outcome) => outcome switch
    {
        IngestOutcome.Created => Api.IngestOutcome.Created,
        IngestOutcome.Unchanged => Api.IngestOutcome.Unchanged,
        IngestOutcome.Revised => Api.IngestOutcome.Revised,
        _ => Api.IngestOutcome.Unspecified,
    };
}
