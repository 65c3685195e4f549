using Cables.Storage.ReadModel;

namespace Cables.Storage;

/// <summary>
/// The statements of the change log: its horizon, its reads and its pruning. A change's position is its transaction's
/// commit number (<c>cable_commits</c>, drawn in commit order by trigger <c>cable_commits_number</c>), then its
/// <c>seq</c>.
/// </summary>
internal static class ChangeSql
{
    /// <summary>
    /// The first half of the change log's advisory lock keys. With object 2: the pruner's; with object 3: the one each
    /// logging transaction holds from drawing its commit number to the end of its commit (in the migration's trigger).
    /// </summary>
    public const int LockClass = 0x43424C57; // "CBLW"

    /// <summary>One pruner at a time across every replica; the others skip their turn.</summary>
    public static readonly string TryPruneLock = $"SELECT pg_try_advisory_xact_lock({LockClass}, 2)";

    /// <summary>
    /// The horizon: the commit number after the newest visible one. Numbers are drawn in commit order under a lock that
    /// the commit's end releases, so every commit numbered below it is visible to any later statement, and every later
    /// commit draws a number at or above it.
    /// </summary>
    public const string Horizon = "SELECT coalesce(max(commit_number), 0) + 1 FROM cable_commits";

    /// <summary>
    /// The first change of the log as <c>(commit_number, seq, kind)</c>: the pruning marker (kind 0) when anything was
    /// pruned. Positions before it are gone.
    /// </summary>
    public const string Pruned = """
        SELECT t.commit_number, ch.seq, ch.kind
        FROM (SELECT xid, commit_number FROM cable_commits ORDER BY commit_number LIMIT 1) t
        JOIN cable_changes ch ON ch.xid = t.xid
        ORDER BY ch.seq LIMIT 1
        """;

    /// <summary>
    /// Up to $4 changes after ($1, $2) of commits below the horizon $3, in log order, with the filter fields they
    /// logged, and in the same snapshot whether ($1, $2) is before the pruning marker. Reads the log alone, never a
    /// cable: with watchers attached the feed runs it once per ingest commit. A statement with no change left answers
    /// one row of NULLs with the marker check.
    /// </summary>
    public static readonly string Read = $"""
        SELECT r.*, coalesce(m.kind = 0 AND (m.commit_number, m.seq) > ($1, $2), false) AS expired
        FROM (SELECT 1) one
        LEFT JOIN LATERAL ({Pruned}) m ON true
        LEFT JOIN LATERAL (
            SELECT t.commit_number, ch.seq, ch.kind, ch.reference_id, {FilterColumns.Of("ch")}
            FROM cable_commits t JOIN cable_changes ch ON ch.xid = t.xid
            WHERE t.commit_number >= $1 AND t.commit_number < $3 AND (t.commit_number, ch.seq) > ($1, $2) AND ch.kind > 0
            ORDER BY t.commit_number, ch.seq
            LIMIT $4
        ) r ON true
        """;

    /// <summary>Ordinals of <see cref="Read"/>: the filter fields start at <see cref="ReadFields"/>.</summary>
    public const int ReadCommit = 0, ReadSeq = 1, ReadKind = 2, ReadReferenceId = 3, ReadFields = 4, ReadExpired = ReadFields + FilterColumns.Count;

    /// <summary>The cables named in $1 as they are now, in the BASIC view, each followed by its filter fields.</summary>
    public static readonly string Cables = $"""
        SELECT {CableColumns.AtEveryPosition(CableTexts.None)}, {FilterColumns.Of("c")}
        FROM cables c WHERE c.reference_id = ANY($1)
        """;

    /// <summary>Ordinal of the first filter field in <see cref="Cables"/>.</summary>
    public const int CablesFields = CableColumns.Count;

    /// <summary>
    /// Where pruning cuts: the last commit before the first one whose transaction started within $1, with the position
    /// of its last change. A transaction that ran longer than the retention commits late, so the cut follows commit
    /// order up to the first young transaction rather than back from the newest old one, which would take younger
    /// commits numbered before it. None when nothing is that old.
    /// </summary>
    public const string PruneCutoff = """
        SELECT t.commit_number, (SELECT max(ch.seq) FROM cable_changes ch WHERE ch.xid = t.xid)
        FROM cable_commits t
        WHERE t.xid <> 0 AND t.commit_number < coalesce(
            (SELECT min(y.commit_number) FROM cable_commits y WHERE y.xid <> 0 AND y.logged_at >= now() - $1),
            9223372036854775807)
        ORDER BY t.commit_number DESC
        LIMIT 1
        """;

    /// <summary>
    /// Deletes every commit numbered up to $1 with its changes (the old marker too), and returns how many changes it
    /// deleted. <see cref="MarkCommit"/> and <see cref="MarkChange"/> follow in the same transaction.
    /// </summary>
    public const string Prune = """
        WITH commits AS (DELETE FROM cable_commits WHERE commit_number <= $1 RETURNING xid),
        changes AS (DELETE FROM cable_changes ch USING commits t WHERE ch.xid = t.xid RETURNING ch.kind)
        SELECT count(*) FILTER (WHERE kind > 0) FROM changes
        """;

    /// <summary>
    /// The pruning marker at commit $1: a commit of transaction 0 that logged one change of kind 0 and no reference id.
    /// Numbered already, so trigger <c>cable_commits_number</c> leaves it alone.
    /// </summary>
    public const string MarkCommit = "INSERT INTO cable_commits (xid, commit_number, logged_at) VALUES (0, $1, '-infinity')";

    /// <summary>The marker's change, at seq $1: see <see cref="MarkCommit"/>.</summary>
    public const string MarkChange = """
        INSERT INTO cable_changes (reference_id, xid, seq, kind, created, classification_level, caveats, tags)
        VALUES ('', 0, $1, 0, '-infinity', 0, '{}', '{}')
        """;
}
