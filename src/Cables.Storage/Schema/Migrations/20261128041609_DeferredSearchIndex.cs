using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NpgsqlTypes;

#nullable disable

namespace Cables.Storage.Schema.Migrations
{
    /// <inheritdoc />
    public partial class DeferredSearchIndex : Migration
    {
        /// <inheritdoc />
        /// <remarks>
        /// The vector leaves <c>cables</c>: computed in the load, it made a bulk ingest four times slower than the rows
        /// alone. It now lives in <c>cable_search</c> and is computed after the row commits, from <c>cable_search_queue</c>,
        /// which triggers fill for every writer: a statement trigger queues inserted rows (a row trigger would take
        /// COPY's batched inserts away), a row trigger re-queues a cable whose subject or body changes and drops its
        /// stale vector. Stored vectors move across as they are; nothing is recomputed.
        /// </remarks>
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
                    table.ForeignKey(
                        name: "FK_cable_search_cables_reference_id",
                        column: x => x.reference_id,
                        principalTable: "cables",
                        principalColumn: "reference_id",
                        onDelete: ReferentialAction.Cascade);
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
                    table.ForeignKey(
                        name: "FK_cable_search_queue_cables_reference_id",
                        column: x => x.reference_id,
                        principalTable: "cables",
                        principalColumn: "reference_id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_cable_search_search",
                table: "cable_search",
                column: "search")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:StorageParameter:fastupdate", true)
                .Annotation("Npgsql:StorageParameter:gin_pending_list_limit", 32768);

            migrationBuilder.Sql("""
                ALTER TABLE cable_search ALTER COLUMN search SET COMPRESSION lz4;
                INSERT INTO cable_search (reference_id, search) SELECT reference_id, search FROM cables;
                """);

            migrationBuilder.DropIndex(
                name: "IX_cables_search",
                table: "cables");

            migrationBuilder.DropColumn(
                name: "search",
                table: "cables");

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

                -- The queue entry is written (and so locked) before the stale vector goes: an indexer holding the entry
                -- has read the old text, and this waits for it to commit, then queues the cable again.
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
        }

        /// <inheritdoc />
        /// <remarks>The generated column computes every vector again, as <c>SearchVectorGenerated</c> did.</remarks>
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER cables_requeue_search ON cables;
                DROP FUNCTION cables_requeue_search();
                DROP TRIGGER cables_queue_search ON cables;
                DROP FUNCTION cables_queue_search();
                """);

            migrationBuilder.DropTable(
                name: "cable_search");

            migrationBuilder.DropTable(
                name: "cable_search_queue");

            migrationBuilder.Sql("""
                ALTER TABLE cables ADD COLUMN search tsvector COMPRESSION lz4 NOT NULL
                    GENERATED ALWAYS AS (setweight(to_tsvector('english'::regconfig, coalesce(subject, '')), 'A') || to_tsvector('english'::regconfig, body)) STORED;
                """);

            migrationBuilder.CreateIndex(
                name: "IX_cables_search",
                table: "cables",
                column: "search")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:StorageParameter:fastupdate", true)
                .Annotation("Npgsql:StorageParameter:gin_pending_list_limit", 32768);
        }
    }
}
