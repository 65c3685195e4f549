namespace CableService.Ingest;

/// <summary>Ingest limits and batching (configuration section <c>Cables:Ingest</c>).</summary>
public sealed class IngestOptions
{
    public const string Section = "Cables:Ingest";

    /// <summary>Largest raw text accepted, in UTF-8 bytes; larger cables are REJECTED with CABLE_TOO_LARGE.</summary>
    public int MaxCableBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Time the parse of one item may take (a real cable takes milliseconds). An item over it is REJECTED with
    /// PARSE_BUDGET_EXCEEDED and the rest of its batch goes on: no input can hold a core for longer.
    /// </summary>
    public TimeSpan ParseBudget { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Most items committed in one store call. A larger batch loads faster but keeps its transaction open longer, and
    /// the watch feed delivers nothing above the oldest one still open (docs/decisions/0009-ingest-batch-size.md).
    /// </summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>How long a batch waits for more items once its first item arrived.</summary>
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Batches of one stream committed at once, each in its own transaction and backend: one COPY session is bound
    /// to one core, so PostgreSQL takes about twice the rows with two (see ../shared/PERF-NOTES.md).
    /// </summary>
    public int CommitConcurrency { get; set; } = Math.Clamp(Environment.ProcessorCount, 2, 4);

    /// <summary>Items read ahead of the batch being committed (back-pressure on the request stream beyond that).</summary>
    public int ReadAhead { get; set; } = 1024;

    /// <summary>
    /// Indexers computing full-text vectors at once, each in its own transaction and backend: <c>to_tsvector</c> is
    /// the costliest step of a load, and one backend uses one core. Zero leaves the indexing to other instances.
    /// </summary>
    public int SearchIndexWorkers { get; set; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>
    /// Share of the time one indexer works while this service is committing batches (0-1); the other indexers wait
    /// until ingest pauses. A vector costs PostgreSQL about what storing its cable does, so a bulk load finishes
    /// sooner, and its backlog of vectors no later, when the indexers mostly wait for it. Zero stops indexing until
    /// ingest pauses for a second, which a stream that never pauses would starve.
    /// </summary>
    public double SearchIndexShareDuringIngest { get; set; } = 0.05;

    /// <summary>Most cables an indexer takes from the queue in one transaction.</summary>
    public int SearchIndexBatchSize { get; set; } = 500;

    /// <summary>How often an idle indexer looks at the queue for cables other writers queued (this service's commits wake it at once).</summary>
    public TimeSpan SearchIndexPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Quiet time after the last commit before the GIN pending lists are merged (zero turns merging off).</summary>
    public TimeSpan IndexMergeDelay { get; set; } = TimeSpan.FromSeconds(2);
}
