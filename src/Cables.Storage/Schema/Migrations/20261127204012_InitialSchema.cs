using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NpgsqlTypes;

#nullable disable

namespace Cables.Storage.Schema.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "cables",
                columns: table => new
                {
                    reference_id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    created = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    origin = table.Column<string>(type: "text", nullable: true),
                    from_plad = table.Column<string>(type: "text", nullable: true),
                    classification_level = table.Column<short>(type: "smallint", nullable: false),
                    classification_label = table.Column<string>(type: "text", nullable: true),
                    caveats = table.Column<string[]>(type: "text[]", nullable: false),
                    tags = table.Column<string[]>(type: "text[]", nullable: false),
                    subject = table.Column<string>(type: "text", nullable: true),
                    summary = table.Column<string>(type: "text", nullable: true),
                    header = table.Column<string>(type: "jsonb", nullable: false),
                    details = table.Column<string>(type: "jsonb", nullable: false),
                    paragraphs = table.Column<string>(type: "jsonb", nullable: false),
                    body = table.Column<string>(type: "text", nullable: false),
                    raw_text = table.Column<string>(type: "text", nullable: false),
                    content_sha256 = table.Column<byte[]>(type: "bytea", nullable: false),
                    source_format = table.Column<short>(type: "smallint", nullable: false),
                    search = table.Column<NpgsqlTsVector>(type: "tsvector", nullable: false),
                    ingested_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    revised_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    revision_count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cables", x => x.reference_id);
                });

            migrationBuilder.CreateTable(
                name: "cable_recipients",
                columns: table => new
                {
                    reference_id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    kind = table.Column<string>(type: "text", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    routing_indicator = table.Column<string>(type: "text", nullable: true),
                    precedence = table.Column<string>(type: "text", nullable: true),
                    message_continuity_number = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cable_recipients", x => new { x.reference_id, x.kind, x.position });
                    table.ForeignKey(
                        name: "FK_cable_recipients_cables_reference_id",
                        column: x => x.reference_id,
                        principalTable: "cables",
                        principalColumn: "reference_id",
                        onDelete: ReferentialAction.Cascade);
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
                    table.ForeignKey(
                        name: "FK_cable_references_cables_reference_id",
                        column: x => x.reference_id,
                        principalTable: "cables",
                        principalColumn: "reference_id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "cable_revisions",
                columns: table => new
                {
                    reference_id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    revision = table.Column<int>(type: "integer", nullable: false),
                    raw_text = table.Column<string>(type: "text", nullable: false),
                    content_sha256 = table.Column<byte[]>(type: "bytea", nullable: false),
                    parsed = table.Column<string>(type: "jsonb", nullable: false),
                    replaced_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cable_revisions", x => new { x.reference_id, x.revision });
                    table.ForeignKey(
                        name: "FK_cable_revisions_cables_reference_id",
                        column: x => x.reference_id,
                        principalTable: "cables",
                        principalColumn: "reference_id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Hand-written: EF cannot express column compression. lz4 TOAST loads ~2.4x faster than pglz
            // (PERF-NOTES); set while the tables are empty so every stored value uses it.
            migrationBuilder.Sql("""
                ALTER TABLE cables
                    ALTER COLUMN header SET COMPRESSION lz4,
                    ALTER COLUMN details SET COMPRESSION lz4,
                    ALTER COLUMN paragraphs SET COMPRESSION lz4,
                    ALTER COLUMN body SET COMPRESSION lz4,
                    ALTER COLUMN raw_text SET COMPRESSION lz4,
                    ALTER COLUMN search SET COMPRESSION lz4;
                ALTER TABLE cable_revisions
                    ALTER COLUMN raw_text SET COMPRESSION lz4,
                    ALTER COLUMN parsed SET COMPRESSION lz4;
                """);

            migrationBuilder.CreateIndex(
                name: "IX_cable_references_cited_id_reference_id",
                table: "cable_references",
                columns: new[] { "cited_id", "reference_id" });

            migrationBuilder.CreateIndex(
                name: "IX_cables_created_reference_id",
                table: "cables",
                columns: new[] { "created", "reference_id" });

            migrationBuilder.CreateIndex(
                name: "IX_cables_origin_created_reference_id",
                table: "cables",
                columns: new[] { "origin", "created", "reference_id" });

            migrationBuilder.CreateIndex(
                name: "IX_cables_search",
                table: "cables",
                column: "search")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:StorageParameter:fastupdate", true)
                .Annotation("Npgsql:StorageParameter:gin_pending_list_limit", 32768);

            migrationBuilder.CreateIndex(
                name: "IX_cables_tags",
                table: "cables",
                column: "tags")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:StorageParameter:fastupdate", true)
                .Annotation("Npgsql:StorageParameter:gin_pending_list_limit", 32768);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "cable_recipients");

            migrationBuilder.DropTable(
                name: "cable_references");

            migrationBuilder.DropTable(
                name: "cable_revisions");

            migrationBuilder.DropTable(
                name: "cables");
        }
    }
}
