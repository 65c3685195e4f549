using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cables.Storage.Schema.Migrations
{
    /// <inheritdoc />
    public partial class ParagraphsMessage : Migration
    {
        /// <inheritdoc />
        /// <remarks>
        /// New rows keep their paragraphs encoded (bytea, lz4) and leave the jsonb column null; rows stored before keep
        /// their JSON, which reads still understand, until a revision replaces them.
        /// </remarks>
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "paragraphs",
                table: "cables",
                type: "jsonb",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "jsonb");

            migrationBuilder.AddColumn<byte[]>(
                name: "paragraphs_message",
                table: "cables",
                type: "bytea",
                nullable: true);
            migrationBuilder.Sql("ALTER TABLE cables ALTER COLUMN paragraphs_message SET COMPRESSION lz4;");
        }

        /// <inheritdoc />
        /// <remarks>Refuses while a row has its paragraphs only encoded: going back would lose them.</remarks>
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    IF EXISTS (SELECT 1 FROM cables WHERE paragraphs IS NULL) THEN
                        RAISE EXCEPTION 'cables stored since migration ParagraphsMessage keep their paragraphs only in paragraphs_message: going back would lose them';
                    END IF;
                END $$;
                """);
            migrationBuilder.DropColumn(
                name: "paragraphs_message",
                table: "cables");

            migrationBuilder.AlterColumn<string>(
                name: "paragraphs",
                table: "cables",
                type: "jsonb",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "jsonb",
                oldNullable: true);
        }
    }
}
