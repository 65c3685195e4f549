using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cables.Storage.Schema.Migrations
{
    /// <inheritdoc />
    public partial class SearchVectorGenerated : Migration
    {
        /// <inheritdoc />
        /// <remarks>
        /// Hand-written: PostgreSQL 15 cannot turn a column into a generated one, so the vector is dropped (its GIN index
        /// with it) and added back as a stored generated column, which rewrites the table once and computes every vector.
        /// Generated, the ingest can COPY new cables straight into the table and PostgreSQL still computes the vector.
        /// The expression and index settings are spelled out, not taken from the model: a migration stays as it was written.
        /// </remarks>
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE cables DROP COLUMN search;
                ALTER TABLE cables ADD COLUMN search tsvector COMPRESSION lz4 NOT NULL
                    GENERATED ALWAYS AS (setweight(to_tsvector('english'::regconfig, coalesce(subject, '')), 'A') || to_tsvector('english'::regconfig, body)) STORED;
                CREATE INDEX "IX_cables_search" ON cables USING gin (search)
                    WITH (fastupdate = true, gin_pending_list_limit = 32768);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE cables DROP COLUMN search;
                ALTER TABLE cables ADD COLUMN search tsvector COMPRESSION lz4;
                UPDATE cables SET search = setweight(to_tsvector('english'::regconfig, coalesce(subject, '')), 'A') || to_tsvector('english'::regconfig, body);
                ALTER TABLE cables ALTER COLUMN search SET NOT NULL;
                CREATE INDEX "IX_cables_search" ON cables USING gin (search)
                    WITH (fastupdate = true, gin_pending_list_limit = 32768);
                """);
        }
    }
}
