namespace Cables.Storage;

/// <summary>The statements of the ingest path: a staging table filled by binary COPY, then one set-based upsert per pass.</summary>
internal static class IngestSql
{
    /// <summary>
    /// The columns <c>cables</c> and the staging table share, in the order <see cref="CableStore"/> writes them. The
    /// staging table and COPY name them in this order, so one writer fills both.
    /// </summary>
    public const string CableColumns =
        "reference_id, created, origin, classification_level, caveats, tags, subject, message, body, raw_text, content_sha256, source_format, source";

    /// <summary>
    /// One row per input item. <c>pass</c> is the occurrence of the reference id within the batch (0 for the first),
    /// so each pass holds unique ids and passes run in input order; <c>attempt</c> moves an item to a re-run of its
    /// pass when a concurrent batch created the same id after the statement's snapshot. Large columns are lz4 like
    /// their targets: COPY compresses once and the upsert moves the datums as they are.
    /// </summary>
    /// <remarks>
    /// JIT is off for the transaction: the upsert's estimates (set-returning functions, CTEs) cross the JIT cost
    /// threshold, and compiling it costs more than running it on a batch.
    /// </remarks>
    public const string CreateStaging = DurableCommit + """
        ;
        SET LOCAL jit = off;
        CREATE TEMP TABLE cable_staging (
            item int NOT NULL,
            pass int NOT NULL,
            attempt int NOT NULL DEFAULT 0,
            reference_id text COLLATE "C" NOT NULL,
            created timestamptz NOT NULL,
            origin text,
            classification_level smallint NOT NULL,
            caveats text[] NOT NULL,
            tags text[] NOT NULL,
            subject text,
            message bytea COMPRESSION lz4 NOT NULL,
            body text COMPRESSION lz4 NOT NULL,
            raw_text text COMPRESSION lz4 NOT NULL,
            content_sha256 bytea NOT NULL,
            source_format smallint NOT NULL,
            source text,
            cited_ids text[] NOT NULL
        ) ON COMMIT DROP
        """;

    public const string CopyStaging = $"COPY cable_staging (item, pass, {CableColumns}, cited_ids) FROM STDIN (FORMAT BINARY)";

    /// <summary>Whether any of the reference ids in $1 is stored: a batch of new cables only can be copied straight in.</summary>
    public const string AnyStored = "SELECT EXISTS (SELECT 1 FROM cables WHERE reference_id = ANY($1))";

    /// <summary>Results promise a durable commit, whatever the server's default.</summary>
    public const string DurableCommit = "SET LOCAL synchronous_commit = on";

    /// <summary>New cables straight into the table; ingested_at and revised_at take their defaults, and a trigger queues their vectors.</summary>
    public const string CopyCables = $"COPY cables ({CableColumns}, revision_count) FROM STDIN (FORMAT BINARY)";

    public const string CopyCitations = "COPY cable_references (reference_id, cited_id) FROM STDIN (FORMAT BINARY)";

    /// <summary>Statistics so the upsert joins the staging rows to <c>cables</c> by primary key, not by scanning it.</summary>
    public const string AnalyzeStaging = "ANALYZE cable_staging";

    public const string Retry = "UPDATE cable_staging SET attempt = attempt + 1 WHERE item = ANY($1)";

    /// <summary>
    /// The upsert of one pass ($1 pass, $2 attempt) by a writer whose visibility is $3 and $4
    /// (<see cref="Internal.VisibilitySql.ParameterValues"/>): a stored cable the writer may not see is neither
    /// compared nor replaced, and its item is answered <see cref="IngestOutcome.Withheld"/> whatever its content.
    /// A text that is the current one or any earlier one of its id is unchanged and writes nothing: an archive
    /// re-issued in an older rendering neither adds a version nor makes the older text current again.
    /// Returns (item, <see cref="IngestOutcome"/>) for every item it settled; an item it does not return lost a race
    /// to a concurrent batch (an insert of the same id, or a revision
    /// to this very content, committed after the statement's snapshot) and is re-run in a new statement, which sees
    /// the winner's row. Citations are refreshed without deleting a key the same statement re-inserts (CTEs run in no
    /// fixed order). Rows are locked and inserted in reference id order, so concurrent batches over the same ids wait
    /// on each other in one order instead of deadlocking.
    /// </summary>
    public static readonly string Upsert = $"""
        WITH pass AS MATERIALIZED (
            SELECT * FROM cable_staging WHERE pass = $1 AND attempt = $2
        ),
        existing AS (
            SELECT c.reference_id, c.content_sha256, {Internal.VisibilitySql.Parameterized("c", "$3", "$4")} AS visible
            FROM cables c JOIN pass p ON p.reference_id = c.reference_id
        ),
        earlier AS (
            SELECT p.reference_id FROM pass p
            WHERE EXISTS (SELECT 1 FROM cable_revisions r WHERE r.reference_id = p.reference_id AND r.content_sha256 = p.content_sha256)
        ),
        changed AS (
            -- Only rows about to be replaced are locked: an unchanged row is not written at all, not even its lock bits.
            -- A concurrent writer's newer version is re-read (and re-checked) after the lock wait, so the archived
            -- content and revision number are the latest, never the snapshot's; a version the writer may not see is
            -- left alone (the visibility is checked again on the locked row).
            SELECT c.reference_id, c.revision_count, c.created, c.classification_level, c.caveats, c.message, c.body,
                   c.raw_text, c.content_sha256, c.source_format, c.source, coalesce(c.revised_at, c.ingested_at) AS current_since
            FROM cables c JOIN pass p ON p.reference_id = c.reference_id
            WHERE c.content_sha256 <> p.content_sha256 AND {Internal.VisibilitySql.Parameterized("c", "$3", "$4")}
              AND NOT EXISTS (SELECT 1 FROM earlier k WHERE k.reference_id = p.reference_id)
            ORDER BY c.reference_id
            FOR NO KEY UPDATE OF c
        ),
        created AS (
            INSERT INTO cables ({CableColumns}, ingested_at, revision_count)
            SELECT {Prefixed("p")}, now(), 0
            FROM pass p
            WHERE NOT EXISTS (SELECT 1 FROM existing e WHERE e.reference_id = p.reference_id)
            ORDER BY p.reference_id
            ON CONFLICT (reference_id) DO NOTHING
            RETURNING reference_id
        ),
        archived AS (
            -- The replaced text keeps the version number it had while current: revision_count + 1, the first being 1.
            INSERT INTO cable_revisions (reference_id, revision, created, classification_level, caveats, message, body,
                                         raw_text, content_sha256, source_format, source, ingested_at, replaced_at)
            SELECT reference_id, revision_count + 1, created, classification_level, caveats, message, body,
                   raw_text, content_sha256, source_format, source, current_since, now()
            FROM changed
        ),
        revised AS (
            UPDATE cables c
            SET ({CableColumns}, revised_at, revision_count) = ({Prefixed("p")}, now(), ch.revision_count + 1)
            FROM pass p JOIN changed ch ON ch.reference_id = p.reference_id
            WHERE c.reference_id = p.reference_id
            RETURNING c.reference_id
        ),
        written AS (
            SELECT p.reference_id, p.cited_ids FROM pass p JOIN created w ON w.reference_id = p.reference_id
            UNION ALL
            SELECT p.reference_id, p.cited_ids FROM pass p JOIN changed w ON w.reference_id = p.reference_id
        ),
        obsolete_citations AS (
            DELETE FROM cable_references o USING changed ch, pass p
            WHERE o.reference_id = ch.reference_id AND p.reference_id = ch.reference_id
              AND o.cited_id <> ALL (p.cited_ids)
        ),
        current_citations AS (
            INSERT INTO cable_references (reference_id, cited_id)
            SELECT w.reference_id, cited.id FROM written w CROSS JOIN LATERAL unnest(w.cited_ids) AS cited(id)
            ON CONFLICT DO NOTHING
        )
        SELECT p.item, {(int)IngestOutcome.Created} FROM pass p JOIN created c ON c.reference_id = p.reference_id
        UNION ALL
        SELECT p.item, {(int)IngestOutcome.Revised} FROM pass p JOIN revised r ON r.reference_id = p.reference_id
        UNION ALL
        SELECT p.item, {(int)IngestOutcome.Unchanged} FROM pass p JOIN existing e ON e.reference_id = p.reference_id
        WHERE e.visible AND (e.content_sha256 = p.content_sha256 OR EXISTS (SELECT 1 FROM earlier k WHERE k.reference_id = p.reference_id))
        UNION ALL
        SELECT p.item, {(int)IngestOutcome.Withheld} FROM pass p JOIN existing e ON e.reference_id = p.reference_id
        WHERE NOT e.visible
        """;

    /// <summary><see cref="CableColumns"/> qualified by a table alias.</summary>
    private static string Prefixed(string alias) =>
        string.Join(", ", CableColumns.Split(", ").Select(column => $"{alias}.{column}"));
}
