using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cables.Storage.Schema.Migrations
{
    /// <summary>
    /// New rows keep their paragraphs only in their body: <c>paragraphs_message</c> is null wherever
    /// <c>CableParser.ReadParagraphs(body)</c> gives the parse's paragraphs, and reads take them from there. The
    /// model does not change (the column was already nullable), so this migration has no designer snapshot.
    /// </summary>
    [DbContext(typeof(CablesDbContext))]
    [Migration("20261128070000_ParagraphsFromBody")]
    public partial class ParagraphsFromBody : Migration
    {
        /// <inheritdoc />
        /// <remarks>
        /// Also lz4 for <c>summary</c>: when a row still exceeds the TOAST threshold after its large columns, PostgreSQL
        /// compresses the summary too, and with the default pglz that showed in the profile of a bulk load.
        /// </remarks>
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE cables ALTER COLUMN summary SET COMPRESSION lz4;
                COMMENT ON COLUMN cables.paragraphs_message IS
                    'Encoded paragraphs (cables.v1.Cable field 31 entries); null when the body gives them (CableParser.ReadParagraphs) or when paragraphs holds them as JSON';
                """);
        }

        /// <inheritdoc />
        /// <remarks>Refuses while a cable or a revision has its paragraphs only in its body: an older release would read none.</remarks>
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    IF EXISTS (SELECT 1 FROM cables WHERE paragraphs IS NULL AND paragraphs_message IS NULL)
                       OR EXISTS (SELECT 1 FROM cable_revisions
                                  WHERE jsonb_typeof(parsed -> 'paragraphs') IS DISTINCT FROM 'array'
                                    AND parsed ->> 'paragraphsMessage' IS NULL) THEN
                        RAISE EXCEPTION 'cables stored since migration ParagraphsFromBody keep their paragraphs only in their body: going back would lose them';
                    END IF;
                END $$;
                COMMENT ON COLUMN cables.paragraphs_message IS NULL;
                ALTER TABLE cables ALTER COLUMN summary SET COMPRESSION default;
                """);
        }
    }
}
