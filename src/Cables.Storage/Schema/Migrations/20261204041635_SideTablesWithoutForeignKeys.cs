using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cables.Storage.Schema.Migrations
{
    /// <inheritdoc />
    public partial class SideTablesWithoutForeignKeys : Migration
    {
        /// <inheritdoc />
        /// <remarks>
        /// The side tables keep their rows by reference_id without a foreign key to <c>cables</c>. Each of the 1.2 million
        /// side rows of a 250,000-cable load (recipients, citations, queue entries) had PostgreSQL look the cable up and
        /// lock it (<c>FOR KEY SHARE</c>, which also dirties its page): 15% of PostgreSQL's samples in a profile of a bulk
        /// ingest. Only the store writes these tables, each row beside its cable in the cable's transaction. What the
        /// keys still did, deleting a cable's rows with it, the triggers below do: a statement trigger over the deleted
        /// rows and one for TRUNCATE.
        /// </remarks>
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_cable_recipients_cables_reference_id",
                table: "cable_recipients");

            migrationBuilder.DropForeignKey(
                name: "FK_cable_references_cables_reference_id",
                table: "cable_references");

            migrationBuilder.DropForeignKey(
                name: "FK_cable_revisions_cables_reference_id",
                table: "cable_revisions");

            migrationBuilder.DropForeignKey(
                name: "FK_cable_search_cables_reference_id",
                table: "cable_search");

            migrationBuilder.DropForeignKey(
                name: "FK_cable_search_queue_cables_reference_id",
                table: "cable_search_queue");

            // The queue first: a deletion waits there for an indexer that holds the entry, and each later statement
            // sees what that indexer committed, so the vector it wrote meanwhile is deleted too.
            migrationBuilder.Sql("""
                CREATE FUNCTION cables_delete_dependents() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    DELETE FROM cable_search_queue d USING deleted_cables g WHERE d.reference_id = g.reference_id;
                    DELETE FROM cable_search d USING deleted_cables g WHERE d.reference_id = g.reference_id;
                    DELETE FROM cable_recipients d USING deleted_cables g WHERE d.reference_id = g.reference_id;
                    DELETE FROM cable_references d USING deleted_cables g WHERE d.reference_id = g.reference_id;
                    DELETE FROM cable_revisions d USING deleted_cables g WHERE d.reference_id = g.reference_id;
                    RETURN NULL;
                END $$;

                CREATE TRIGGER cables_delete_dependents AFTER DELETE ON cables
                    REFERENCING OLD TABLE AS deleted_cables
                    FOR EACH STATEMENT EXECUTE FUNCTION cables_delete_dependents();

                CREATE FUNCTION cables_truncate_dependents() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    TRUNCATE cable_search_queue, cable_search, cable_recipients, cable_references, cable_revisions;
                    RETURN NULL;
                END $$;

                CREATE TRIGGER cables_truncate_dependents AFTER TRUNCATE ON cables
                    FOR EACH STATEMENT EXECUTE FUNCTION cables_truncate_dependents();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Rows whose cable is gone (written by hand since Up) would fail the keys: they belong to no cable.
            migrationBuilder.Sql("""
                DROP TRIGGER cables_truncate_dependents ON cables;
                DROP FUNCTION cables_truncate_dependents();
                DROP TRIGGER cables_delete_dependents ON cables;
                DROP FUNCTION cables_delete_dependents();
                DELETE FROM cable_search_queue d WHERE NOT EXISTS (SELECT 1 FROM cables c WHERE c.reference_id = d.reference_id);
                DELETE FROM cable_search d WHERE NOT EXISTS (SELECT 1 FROM cables c WHERE c.reference_id = d.reference_id);
                DELETE FROM cable_recipients d WHERE NOT EXISTS (SELECT 1 FROM cables c WHERE c.reference_id = d.reference_id);
                DELETE FROM cable_references d WHERE NOT EXISTS (SELECT 1 FROM cables c WHERE c.reference_id = d.reference_id);
                DELETE FROM cable_revisions d WHERE NOT EXISTS (SELECT 1 FROM cables c WHERE c.reference_id = d.reference_id);
                """);

            migrationBuilder.AddForeignKey(
                name: "FK_cable_recipients_cables_reference_id",
                table: "cable_recipients",
                column: "reference_id",
                principalTable: "cables",
                principalColumn: "reference_id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_cable_references_cables_reference_id",
                table: "cable_references",
                column: "reference_id",
                principalTable: "cables",
                principalColumn: "reference_id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_cable_revisions_cables_reference_id",
                table: "cable_revisions",
                column: "reference_id",
                principalTable: "cables",
                principalColumn: "reference_id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_cable_search_cables_reference_id",
                table: "cable_search",
                column: "reference_id",
                principalTable: "cables",
                principalColumn: "reference_id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_cable_search_queue_cables_reference_id",
                table: "cable_search_queue",
                column: "reference_id",
                principalTable: "cables",
                principalColumn: "reference_id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
