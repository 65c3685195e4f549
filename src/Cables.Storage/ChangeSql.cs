using Cables.Storage.ReadModel;

namespace Cables.Storage;

/// <summary>The statements of the change log: its safe horizon, its reads and its pruning.</summary>
internal static class ChangeSql
{
    /// <summary>
    /// The advisory lock key (two int4 halves) a transaction takes, shared, to say that it never logs a change: the
    /// search indexer and the pruner, whose transactions are long or frequent, so the horizon does not wait for them.
    /// </summary>
    public const int QuietKeyClass = 0x43424C57; // "CBLW"

    public const int QuietKeyObject = 1;

    /// <summary>Taken first thing by a transaction that never inserts into <c>cables</c> (so never logs a change).</summary>
    public static readonly string DeclareQuiet = $"SELECT pg_advisory_xact_lock_shared({QuietKeyClass}, {QuietKeyObject})";

    /// <summary>One pruner at a time across every replica; the others skip their turn.</summary>
    public static readonly string TryPruneLock = $"SELECT pg_try_advisory_xact_lock({QuietKeyClass}, 2)";

    /// <summary>
    /// The safe horizon: the oldest transaction still running that may log a change, or the next transaction id when
    /// none is. Every change of a transaction below it is committed (or was rolled back) and visible to any later
    /// statement. It is <c>pg_snapshot_xmin(pg_current_snapshot())</c> without the transactions that declared themselves
    /// quiet: a running id is left out only when the one lock snapshot shows the same virtual transaction holding both
    /// its id and the quiet lock, so any timing between the two snapshots can only keep a transaction in (a later
    /// horizon), never leave a writer out.
    /// </summary>
    public static readonly string Horizon = $"""
        WITH locks AS MATERIALIZED (
            SELECT locktype, classid, objid, objsubid, transactionid, virtualtransaction, mode FROM pg_locks WHERE granted
        ),
        quiet AS (
            SELECT x.transactionid::text::bigint AS xid32
            FROM locks q JOIN locks x ON x.virtualtransaction = q.virtualtransaction
            WHERE q.locktype = 'advisory' AND q.classid = '{QuietKeyClass}'::oid AND q.objid = '{QuietKeyObject}'::oid AND q.objsubid = 2
              AND x.locktype = 'transactionid' AND x.mode = 'ExclusiveLock'
        ),
        snapshot AS MATERIALIZED (SELECT pg_current_snapshot() AS s)
        SELECT least(
            (SELECT pg_snapshot_xmax(s)::text::bigint FROM snapshot),
            (SELECT min(x::text::bigint) FROM snapshot, pg_snapshot_xip(s) AS x
             WHERE (x::text::bigint & 4294967295) NOT IN (SELECT xid32 FROM quiet)))
        """;

    /// <summary>
    /// The first row of the log: the pruning marker (kind 0) when anything was pruned. Positions before it are gone.
    /// </summary>
    public const string Pruned = "SELECT xid, seq, kind FROM cable_changes ORDER BY xid, seq LIMIT 1";

    /// <summary>
    /// Up to $4 changes after ($1, $2) of transactions below the horizon $3, in log order, with the filter fields they
    /// logged, and in the same snapshot whether ($1, $2) is before the pruning marker. Reads the log alone, never a
    /// cable: with watchers attached the feed runs it once per ingest commit. A statement with no change left answers
    /// one row of NULLs with the marker check.
    /// </summary>
    public static readonly string Read = $"""
        SELECT r.*, coalesce(m.kind = 0 AND (m.xid, m.seq) > ($1, $2), false) AS expired
        FROM (SELECT 1) one
        LEFT JOIN LATERAL (SELECT xid, seq, kind FROM cable_changes ORDER BY xid, seq LIMIT 1) m ON true
        LEFT JOIN LATERAL (
            SELECT ch.xid, ch.seq, ch.kind, ch.reference_id, {FilterColumns.Of("ch")}
            FROM cable_changes ch
            WHERE (ch.xid, ch.seq) > ($1, $2) AND ch.xid < $3 AND ch.kind > 0
            ORDER BY ch.xid, ch.seq
            LIMIT $4
        ) r ON true
        """;

    /// <summary>Ordinals of <see cref="Read"/>: the filter fields start at <see cref="ReadFields"/>.</summary>
    public const int ReadXid = 0, ReadSeq = 1, ReadKind = 2, ReadReferenceId = 3, ReadFields = 4, ReadExpired = ReadFields + FilterColumns.Count;

    /// <summary>The cables named in $1 as they are now, in the BASIC view, each followed by its filter fields.</summary>
    public static readonly string Cables = $"""
        SELECT {CableColumns.AtEveryPosition(CableTexts.None)}, {FilterColumns.Of("c")}
        FROM cables c WHERE c.reference_id = ANY($1)
        """;

    /// <summary>Ordinal of the first filter field in <see cref="Cables"/>.</summary>
    public const int CablesFields = CableColumns.Count;

    /// <summary>
    /// Prunes the changes of transactions below the horizon $2 that started more than $1 ago, up to the newest such
    /// change, and leaves a marker (kind 0, no reference id) at its position. Returns the rows deleted.
    /// </summary>
    public const string Prune = """
        WITH cutoff AS MATERIALIZED (
            SELECT xid, seq FROM cable_changes
            WHERE kind > 0 AND xid < $2 AND changed_at < now() - $1
            ORDER BY xid DESC, seq DESC
            LIMIT 1
        ),
        pruned AS (
            DELETE FROM cable_changes ch USING cutoff c WHERE (ch.xid, ch.seq) <= (c.xid, c.seq) RETURNING 1
        ),
        marked AS (
            INSERT INTO cable_changes (reference_id, xid, seq, kind, created, classification_level, caveats, tags)
            SELECT '', c.xid, c.seq, 0, '-infinity', 0, '{}', '{}' FROM cutoff c
        )
        SELECT count(*) FROM pruned
        """;
}
