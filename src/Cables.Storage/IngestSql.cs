namespace Cables.Storage;

/// <summary>The statements of the ingest path: a staging table filled by binary COPY, then one set-based upsert per pass.</summary>
internal static class IngestSql
{
    /// <summary>
    /// One row per input item. <c>pass</c> is the occurrence of the reference id within the batch (0 for the first),
    /// so each pass holds unique ids and passes run in input order; <c>attempt</c> moves an item to a re-run of its
    /// pass when a concurrent batch created the same id after the statement's snapshot. Large columns are lz4 like
    /// their targets: COPY compresses once (pglz here made COPY the slowest step) and the upsert moves the datums as they are.
    /// </summary>
    /// <remarks>
    /// JIT is off for the transaction: the upsert's estimates (set-returning functions, CTEs) cross the JIT cost
    /// threshold, and compiling its ~170 functions costs more than running it on a batch. synchronous_commit is on
    /// whatever the server's default: results promise a durable commit.
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
            from_plad text,
            classification_level smallint NOT NULL,
            classification_label text,
            caveats text[] NOT NULL,
            tags text[] NOT NULL,
            subject text,
            summary text,
            message bytea COMPRESSION lz4 NOT NULL,
            header jsonb COMPRESSION lz4 NOT NULL,
            details jsonb COMPRESSION lz4 NOT NULL,
            paragraphs_message bytea COMPRESSION lz4,
            body text COMPRESSION lz4,
            body_map bytea,
            raw_text text COMPRESSION lz4 NOT NULL,
            content_sha256 bytea NOT NULL,
            source_format smallint NOT NULL,
            cited_ids text[] NOT NULL
        ) ON COMMIT DROP
        """;

    public const string CopyStaging = """
        COPY cable_staging (item, pass, reference_id, created, origin, from_plad, classification_level, classification_label,
                            caveats, tags, subject, summary, message, header, details, paragraphs_message, body,
                            body_map, raw_text, content_sha256, source_format, cited_ids)
        FROM STDIN (FORMAT BINARY)
        """;

    /// <summary>Whether any of the reference ids in $1 is stored: a batch of new cables only can be copied straight in.</summary>
    public const string AnyStored = "SELECT EXISTS (SELECT 1 FROM cables WHERE reference_id = ANY($1))";

    /// <summary>Results promise a durable commit, whatever the server's default.</summary>
    public const string DurableCommit = "SET LOCAL synchronous_commit = on";

    /// <summary>New cables straight into the table; ingested_at and revised_at take their defaults, and a trigger queues their vectors.</summary>
    public const string CopyCables = """
        COPY cables (reference_id, created, origin, from_plad, classification_level, classification_label, caveats, tags,
                     subject, summary, message, header, details, paragraphs_message, body, body_map, raw_text,
                     content_sha256, source_format, revision_count)
        FROM STDIN (FORMAT BINARY)
        """;

    public const string CopyRecipients = """
        COPY cable_recipients (reference_id, kind, position, name, routing_indicator, precedence, message_continuity_number)
        FROM STDIN (FORMAT BINARY)
        """;

    public const string CopyCitations = "COPY cable_references (reference_id, cited_id) FROM STDIN (FORMAT BINARY)";

    /// <summary>Statistics so the upsert joins the staging rows to <c>cables</c> by primary key, not by scanning it.</summary>
    public const string AnalyzeStaging = "ANALYZE cable_staging";

    public const string Retry = "UPDATE cable_staging SET attempt = attempt + 1 WHERE item = ANY($1)";

    /// <summary>
    /// The upsert of one pass ($1 pass, $2 attempt). Returns (item, outcome) for every item it settled; an item it
    /// does not return lost a race to a concurrent batch (an insert of the same id, or a revision to this very content,
    /// committed after the statement's snapshot) and is re-run in a new statement, which sees the winner's row.
    /// Triggers queue the full-text vector of every row this inserts, and of every row whose subject or body it changes.
    /// Side tables are refreshed without deleting a key the same statement re-inserts (CTEs run in no fixed order):
    /// obsolete rows are deleted, current ones upserted. Rows are locked and inserted in reference id order, so
    /// concurrent batches over the same ids wait on each other in one order instead of deadlocking.
    /// </summary>
    public const string Upsert = """
        WITH pass AS MATERIALIZED (
            SELECT * FROM cable_staging WHERE pass = $1 AND attempt = $2
        ),
        existing AS (
            SELECT c.reference_id, c.content_sha256
            FROM cables c JOIN pass p ON p.reference_id = c.reference_id
        ),
        changed AS (
            -- Only rows about to be replaced are locked: an unchanged row is not written at all, not even its lock bits.
            -- A concurrent writer's newer version is re-read (and re-checked) after the lock wait, so the archived
            -- content and revision number are the latest, never the snapshot's.
            SELECT c.reference_id, c.revision_count, c.raw_text, c.content_sha256,
                   jsonb_build_object(
                       'created', c.created, 'origin', c.origin, 'fromPlad', c.from_plad,
                       'classificationLevel', c.classification_level, 'classificationLabel', c.classification_label,
                       'caveats', c.caveats, 'tags', c.tags, 'subject', c.subject, 'summary', c.summary,
                       'header', c.header, 'details', c.details, 'paragraphs', c.paragraphs,
                       'paragraphsMessage', encode(c.paragraphs_message, 'base64'), 'body', c.body,
                       'bodyMap', encode(c.body_map, 'base64'),
                       'sourceFormat', c.source_format, 'ingestedAt', c.ingested_at, 'revisedAt', c.revised_at) AS parsed
            FROM cables c JOIN pass p ON p.reference_id = c.reference_id
            WHERE c.content_sha256 <> p.content_sha256
            ORDER BY c.reference_id
            FOR NO KEY UPDATE OF c
        ),
        created AS (
            INSERT INTO cables (reference_id, created, origin, from_plad, classification_level, classification_label,
                                caveats, tags, subject, summary, message, header, details, paragraphs_message, body, body_map,
                                raw_text, content_sha256, source_format, ingested_at, revision_count)
            SELECT p.reference_id, p.created, p.origin, p.from_plad, p.classification_level, p.classification_label,
                   p.caveats, p.tags, p.subject, p.summary, p.message, p.header, p.details, p.paragraphs_message, p.body,
                   p.body_map, p.raw_text, p.content_sha256, p.source_format, now(), 0
            FROM pass p
            WHERE NOT EXISTS (SELECT 1 FROM existing e WHERE e.reference_id = p.reference_id)
            ORDER BY p.reference_id
            ON CONFLICT (reference_id) DO NOTHING
            RETURNING reference_id
        ),
        archived AS (
            INSERT INTO cable_revisions (reference_id, revision, raw_text, content_sha256, parsed, replaced_at)
            SELECT reference_id, revision_count, raw_text, content_sha256, parsed, now() FROM changed
        ),
        revised AS (
            UPDATE cables c
            SET created = p.created, origin = p.origin, from_plad = p.from_plad,
                classification_level = p.classification_level, classification_label = p.classification_label,
                caveats = p.caveats, tags = p.tags, subject = p.subject, summary = p.summary, message = p.message, header = p.header,
                details = p.details, paragraphs = NULL, paragraphs_message = p.paragraphs_message, body = p.body, body_map = p.body_map,
                raw_text = p.raw_text,
                content_sha256 = p.content_sha256, source_format = p.source_format,
                revised_at = now(), revision_count = ch.revision_count + 1
            FROM pass p JOIN changed ch ON ch.reference_id = p.reference_id
            WHERE c.reference_id = p.reference_id
            RETURNING c.reference_id
        ),
        written AS (
            SELECT p.reference_id, p.header, p.cited_ids FROM pass p JOIN created w ON w.reference_id = p.reference_id
            UNION ALL
            SELECT p.reference_id, p.header, p.cited_ids FROM pass p JOIN changed w ON w.reference_id = p.reference_id
        ),
        recipients AS (
            SELECT w.reference_id, r.kind, r.position::int AS position, r.value ->> 'name' AS name,
                   r.value ->> 'routingIndicator' AS routing_indicator, r.value ->> 'precedence' AS precedence,
                   r.value ->> 'messageContinuityNumber' AS message_continuity_number
            FROM written w
            CROSS JOIN LATERAL (
                SELECT 'TO' AS kind, t.value, t.position FROM jsonb_array_elements(w.header -> 'to') WITH ORDINALITY t(value, position)
                UNION ALL
                SELECT 'INFO', i.value, i.position FROM jsonb_array_elements(w.header -> 'info') WITH ORDINALITY i(value, position)
            ) r
        ),
        obsolete_recipients AS (
            DELETE FROM cable_recipients o USING changed ch
            WHERE o.reference_id = ch.reference_id
              AND NOT EXISTS (SELECT 1 FROM recipients r
                              WHERE r.reference_id = o.reference_id AND r.kind = o.kind AND r.position = o.position)
        ),
        current_recipients AS (
            INSERT INTO cable_recipients (reference_id, kind, position, name, routing_indicator, precedence, message_continuity_number)
            SELECT reference_id, kind, position, name, routing_indicator, precedence, message_continuity_number FROM recipients
            ON CONFLICT (reference_id, kind, position) DO UPDATE
            SET name = excluded.name, routing_indicator = excluded.routing_indicator, precedence = excluded.precedence,
                message_continuity_number = excluded.message_continuity_number
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
        SELECT p.item, 0 FROM pass p JOIN created c ON c.reference_id = p.reference_id
        UNION ALL
        SELECT p.item, 2 FROM pass p JOIN revised r ON r.reference_id = p.reference_id
        UNION ALL
        SELECT p.item, 1 FROM pass p JOIN existing e ON e.reference_id = p.reference_id
        WHERE e.content_sha256 = p.content_sha256
        """;
}
