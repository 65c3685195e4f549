namespace CableService.Database;

/// <summary>
/// How much of PostgreSQL one instance may hold (configuration section <c>Cables:Database</c>). The pool size overrides
/// the connection string's, so that every replica stays well under <c>max_connections</c> whatever string it is given:
/// room is left for the other replicas, migrations, standbys and operators.
/// </summary>
public sealed class DatabaseOptions
{
    public const string Section = "Cables:Database";

    /// <summary>Most connections this instance opens, per data source (the primary's, and the read one's when set).</summary>
    public int MaxPoolSize { get; set; } = 30;

    /// <summary>How long an idle pooled connection is kept before it is closed, its backend freed.</summary>
    public TimeSpan ConnectionIdleLifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Read calls (GetCable, CountCables, ListCables, StreamCables) served at once; the others wait in the read queue.</summary>
    public int MaxConcurrentReads { get; set; } = 20;

    /// <summary>Read calls waiting for their turn; one more is answered RESOURCE_EXHAUSTED (READ_QUEUE_FULL).</summary>
    public int ReadQueueLimit { get; set; } = 200;

    /// <summary>Ingest commits (one batch each) run at once, over every stream; the others wait in the commit queue.</summary>
    public int MaxConcurrentCommits { get; set; } = 6;

    /// <summary>Commits waiting for their turn; one more ends its call RESOURCE_EXHAUSTED (COMMIT_QUEUE_FULL).</summary>
    public int CommitQueueLimit { get; set; } = 64;

    /// <summary>The retry delay a full queue or a full database tells the caller (google.rpc.RetryInfo).</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);
}
