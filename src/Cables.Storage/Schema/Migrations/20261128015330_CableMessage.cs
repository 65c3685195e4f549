using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cables.Storage.Schema.Migrations
{
    /// <inheritdoc />
    public partial class CableMessage : Migration
    {
        /// <inheritdoc />
        /// <remarks>
        /// Rows stored before this migration keep a null message: reads rebuild theirs from the JSON columns, and the
        /// next revision of such a cable writes it. lz4 like the other large columns (hand-written: EF cannot express it).
        /// </remarks>
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "message",
                table: "cables",
                type: "bytea",
                nullable: true);
            migrationBuilder.Sql("ALTER TABLE cables ALTER COLUMN message SET COMPRESSION lz4;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "message",
                table: "cables");
        }
    }
}
