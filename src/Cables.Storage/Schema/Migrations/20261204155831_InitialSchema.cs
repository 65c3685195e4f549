using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using NpgsqlTypes;

#nullable disable

namespace Cables.Storage.Schema.Migrations
{
    /// <inheritdoc />
    /// <remarks>
    /// The tables EF Core derives from <see cref="CablesDbContext"/>, then what it cannot express: lz4 TOAST compression
    /// on the large columns, the triggers that queue full-text vectors and delete a cable's side rows with it, and those
    /// that log every created or revised cable for watchers.
    /// </remarks>
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "cable_changes",
                columns: table => new
                {
                    xid = table.Column<long>(type: "bigint", nullable: false, defaultValueSql: "(pg_current_xact_id())::text::bigint"),
                    seq = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    reference_id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    caveats = table.Column<string[]>(type: "text[]", nullable: false),
                    classification_level = table.Column<short>(type: "smallint", nullable: false),
                    created = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    kind = table.Column<short>(type: "smallint", nullable: false),
                    origin = table.Column<string>(type: "text", nullable: true),
                    tags = table.Column<string[]>(type: "text[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cable_changes", x => new { x.xid, x.seq, x.reference_id });
                });

            migrationBuilder.CreateSequence(
                name: "cable_commit_numbers");

            migrationBuilder.CreateTable(
                name: "cable_commits",
                columns: table => new
                {
                    xid = table.Column<long>(type: "bigint", nullable: false, defaultValueSql: "(pg_current_xact_id())::text::bigint"),
                    commit_number = table.Column<long>(type: "bigint", nullable: true),
                    logged_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cable_commits", x => x.xid);
                });

            migrationBuilder.CreateTable(
                name: "cable_references",
                columns: table => new
                {
                    reference_id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    cited_id = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cable_references", x => new { x.reference_id, x.cited_id });
                });

            migrationBuilder.CreateTable(
                name: "cable_revisions",
                columns: table => new
                {
                    reference_id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    revision = table.Column<int>(type: "integer", nullable: false),
                    created = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    classification_level = table.Column<short>(type: "smallint", nullable: false),
                    caveats = table.Column<string[]>(type: "text[]", nullable: false),
                    message = table.Column<byte[]>(type: "bytea", nullable: false),
                    body = table.Column<string>(type: "text", nullable: false),
                    raw_text = table.Column<string>(type: "text", nullable: false),
                    content_sha256 = table.Column<byte[]>(type: "bytea", nullable: false),
                    source_format = table.Column<short>(type: "smallint", nullable: false),
                    source = table.Column<string>(type: "text", nullable: true),
                    ingested_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    replaced_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cable_revisions", x => new { x.reference_id, x.revision });
                });

            migrationBuilder.CreateTable(
                name: "cable_search",
                columns: table => new
                {
                    reference_id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    search = table.Column<NpgsqlTsVector>(type: "tsvector", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cable_search", x => x.reference_id);
                });

            migrationBuilder.CreateTable(
                name: "cable_search_queue",
                columns: table => new
                {
                    reference_id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    queued_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cable_search_queue", x => x.reference_id);
                });

            migrationBuilder.CreateTable(
                name: "cables",
                columns: table => new
                {
                    reference_id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    created = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    origin = table.Column<string>(type: "text", nullable: true),
                    classification_level = table.Column<short>(type: "smallint", nullable: false),
                    caveats = table.Column<string[]>(type: "text[]", nullable: false),
                    tags = table.Column<string[]>(type: "text[]", nullable: false),
                    subject = table.Column<string>(type: "text", nullable: true),
                    message = table.Column<byte[]>(type: "bytea", nullable: false),
                    body = table.Column<string>(type: "text", nullable: false),
                    raw_text = table.Column<string>(type: "text", nullable: false),
                    content_sha256 = table.Column<byte[]>(type: "bytea", nullable: false),
                    source_format = table.Column<short>(type: "smallint", nullable: false),
                    source = table.Column<string>(type: "text", nullable: true),
                    ingested_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    revised_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    revision_count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cables", x => x.reference_id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_cable_commits_commit_number",
                table: "cable_commits",
                column: "commit_number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cable_references_cited_id_reference_id",
                table: "cable_references",
                columns: new[] { "cited_id", "reference_id" });

            migrationBuilder.CreateIndex(
                name: "IX_cable_search_search",
                table: "cable_search",
                column: "search")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:StorageParameter:fastupdate", true)
                .Annotation("Npgsql:StorageParameter:gin_pending_list_limit", 32768);

            migrationBuilder.CreateIndex(
                name: "IX_cables_created_reference_id",
                table: "cables",
                columns: new[] { "created", "reference_id" });

            migrationBuilder.CreateIndex(
                name: "IX_cables_origin_created_reference_id",
                table: "cables",
                columns: new[] { "origin", "created", "reference_id" });

            migrationBuilder.CreateIndex(
                name: "IX_cables_tags",
                table: "cables",
                column: "tags")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:StorageParameter:fastupdate", true)
                .Annotation("Npgsql:StorageParameter:gin_pending_list_limit", 32768);

            // lz4: pglz compression, not the disk, bounds a bulk COPY (docs/decisions/0003-stored-body.md).
            migrationBuilder.Sql("""
                ALTER TABLE cables
                    ALTER COLUMN message SET COMPRESSION lz4,
                    ALTER COLUMN body SET COMPRESSION lz4,
                    ALTER COLUMN raw_text SET COMPRESSION lz4;
                ALTER TABLE cable_revisions
                    ALTER COLUMN message SET COMPRESSION lz4,
                    ALTER COLUMN body SET COMPRESSION lz4,
                    ALTER COLUMN raw_text SET COMPRESSION lz4;
                ALTER TABLE cable_search ALTER COLUMN search SET COMPRESSION lz4;
                """);

            // Vectors are computed after the row commits (docs/decisions/0002-deferred-search-index.md): every writer's
            // rows are queued here. A statement trigger queues inserted rows (a row trigger would take COPY's batched
            // inserts away); a row trigger queues a cable again when its subject or body changes and drops the stale
            // vector, after writing (and so locking) the queue entry: an indexer holding the entry has read the old
            // text, and this waits for its commit.
            migrationBuilder.Sql("""
                CREATE FUNCTION cables_queue_search() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO cable_search_queue (reference_id) SELECT reference_id FROM inserted_cables
                    ON CONFLICT (reference_id) DO UPDATE SET queued_at = excluded.queued_at;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER cables_queue_search AFTER INSERT ON cables
                    REFERENCING NEW TABLE AS inserted_cables
                    FOR EACH STATEMENT EXECUTE FUNCTION cables_queue_search();

                CREATE FUNCTION cables_requeue_search() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO cable_search_queue (reference_id) VALUES (NEW.reference_id)
                    ON CONFLICT (reference_id) DO UPDATE SET queued_at = excluded.queued_at;
                    DELETE FROM cable_search WHERE reference_id = NEW.reference_id;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER cables_requeue_search AFTER UPDATE OF subject, body ON cables
                    FOR EACH ROW WHEN (OLD.subject IS DISTINCT FROM NEW.subject OR OLD.body IS DISTINCT FROM NEW.body)
                    EXECUTE FUNCTION cables_requeue_search();
                """);

            // Side tables keep no foreign key (docs/decisions/0004-side-tables-without-foreign-keys.md); these delete
            // a cable's rows with it. The queue first: a deletion waits there for an indexer that holds the entry, and
            // each later statement sees what that indexer committed, so the vector it wrote meanwhile goes too.
            migrationBuilder.Sql("""
                CREATE FUNCTION cables_delete_dependents() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    DELETE FROM cable_search_queue d USING deleted_cables g WHERE d.reference_id = g.reference_id;
                    DELETE FROM cable_search d USING deleted_cables g WHERE d.reference_id = g.reference_id;
                    DELETE FROM cable_references d USING deleted_cables g WHERE d.reference_id = g.reference_id;
                    DELETE FROM cable_revisions d USING deleted_cables g WHERE d.reference_id = g.reference_id;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER cables_delete_dependents AFTER DELETE ON cables
                    REFERENCING OLD TABLE AS deleted_cables
                    FOR EACH STATEMENT EXECUTE FUNCTION cables_delete_dependents();

                CREATE FUNCTION cables_truncate_dependents() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    TRUNCATE cable_search_queue, cable_search, cable_references, cable_revisions;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER cables_truncate_dependents AFTER TRUNCATE ON cables
                    FOR EACH STATEMENT EXECUTE FUNCTION cables_truncate_dependents();
                """);

            // The change log that watchers read (docs/decisions/0006-watch-positions.md): one row per created cable and
            // per revision (new content) with the fields watch filters match on, written in the writing transaction, and
            // one row per such transaction in cable_commits. Transition tables need one trigger per event and no column list.
            migrationBuilder.Sql("""
                CREATE FUNCTION cables_log_created() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO cable_changes (reference_id, kind, created, origin, classification_level, caveats, tags)
                    SELECT reference_id, 1, created, origin, classification_level, caveats, tags
                    FROM inserted_cables ORDER BY reference_id;
                    IF FOUND THEN
                        INSERT INTO cable_commits DEFAULT VALUES ON CONFLICT (xid) DO NOTHING;
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER cables_log_created AFTER INSERT ON cables
                    REFERENCING NEW TABLE AS inserted_cables
                    FOR EACH STATEMENT EXECUTE FUNCTION cables_log_created();

                CREATE FUNCTION cables_log_revised() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO cable_changes (reference_id, kind, created, origin, classification_level, caveats, tags)
                    SELECT n.reference_id, 2, n.created, n.origin, n.classification_level, n.caveats, n.tags
                    FROM revised_new n JOIN revised_old o ON o.reference_id = n.reference_id
                    WHERE n.content_sha256 IS DISTINCT FROM o.content_sha256
                    ORDER BY n.reference_id;
                    IF FOUND THEN
                        INSERT INTO cable_commits DEFAULT VALUES ON CONFLICT (xid) DO NOTHING;
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER cables_log_revised AFTER UPDATE ON cables
                    REFERENCING OLD TABLE AS revised_old NEW TABLE AS revised_new
                    FOR EACH STATEMENT EXECUTE FUNCTION cables_log_revised();
                """);

            // Numbers a logging transaction as it commits. Deferred to the commit, it takes a lock that only the end of
            // the transaction releases, after the commit is visible: numbers follow commit order, and a reader that sees
            // a number sees every number below it. The notification carries the number and arrives after the commit.
            // The lock key is ChangeSql.LockClass with object 3.
            migrationBuilder.Sql("""
                CREATE FUNCTION cable_commits_number() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    number bigint;
                BEGIN
                    PERFORM pg_advisory_xact_lock(1128418391, 3);
                    number := nextval('cable_commit_numbers');
                    UPDATE cable_commits SET commit_number = number WHERE xid = NEW.xid;
                    PERFORM pg_notify('cable_changes', number::text);
                    RETURN NULL;
                END $$;
                CREATE CONSTRAINT TRIGGER cable_commits_number AFTER INSERT ON cable_commits
                    DEFERRABLE INITIALLY DEFERRED
                    FOR EACH ROW WHEN (NEW.commit_number IS NULL) EXECUTE FUNCTION cable_commits_number();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER cable_commits_number ON cable_commits;
                DROP FUNCTION cable_commits_number();
                DROP TRIGGER cables_log_revised ON cables;
                DROP FUNCTION cables_log_revised();
                DROP TRIGGER cables_log_created ON cables;
                DROP FUNCTION cables_log_created();
                DROP TRIGGER cables_truncate_dependents ON cables;
                DROP FUNCTION cables_truncate_dependents();
                DROP TRIGGER cables_delete_dependents ON cables;
                DROP FUNCTION cables_delete_dependents();
                DROP TRIGGER cables_requeue_search ON cables;
                DROP FUNCTION cables_requeue_search();
                DROP TRIGGER cables_queue_search ON cables;
                DROP FUNCTION cables_queue_search();
                """);

            migrationBuilder.DropTable(
                name: "cable_changes");

            migrationBuilder.DropTable(
                name: "cable_commits");

            migrationBuilder.DropTable(
                name: "cable_references");

            migrationBuilder.DropTable(
                name: "cable_revisions");

            migrationBuilder.DropTable(
                name: "cable_search");

            migrationBuilder.DropTable(
                name: "cable_search_queue");

            migrationBuilder.DropTable(
                name: "cables");

            migrationBuilder.DropSequence(
                name: "cable_commit_numbers");
        }
    }
}
