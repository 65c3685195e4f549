using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cables.Storage.Schema.Migrations
{
    /// <inheritdoc />
    public partial class OlderWritersClearMessages : Migration
    {
        /// <inheritdoc />
        /// <remarks>
        /// Releases from before <c>CableMessage</c> and <c>ParagraphsMessage</c> revise a row without writing its encoded
        /// columns, which would then describe the replaced content; they still run while a rolling update replaces
        /// them. Such a writer is known by the JSON paragraphs it writes (this release writes them null): the trigger
        /// clears the row's encoded columns, and reads rebuild the cable from its JSON columns. Updates only: a row such a
        /// release inserts has no encoded columns anyway, and a BEFORE INSERT row trigger would take COPY's batched
        /// inserts away from the bulk load.
        /// </remarks>
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION cables_clear_stale_messages() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.message := NULL;
                    NEW.paragraphs_message := NULL;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER cables_clear_stale_messages BEFORE UPDATE ON cables
                    FOR EACH ROW WHEN (NEW.paragraphs IS NOT NULL)
                    EXECUTE FUNCTION cables_clear_stale_messages();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER cables_clear_stale_messages ON cables;
                DROP FUNCTION cables_clear_stale_messages();
                """);
        }
    }
}
