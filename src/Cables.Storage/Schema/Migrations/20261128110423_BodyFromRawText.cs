using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cables.Storage.Schema.Migrations
{
    /// <summary>
    /// New rows keep their body as a map over their raw text (<c>body_map</c>, see <c>BodyMap</c>) and <c>body</c>
    /// null: the text was stored twice, a third of the table. SQL that needs the body (the search indexer) reads it
    /// through <c>cable_body(body, raw_text, body_map)</c>, the map's decoder in PL/pgSQL.
    /// </summary>
    public partial class BodyFromRawText : Migration
    {
        /// <inheritdoc />
        /// <remarks>
        /// A release from before this one revises a row by writing its body and leaving <c>body_map</c> as it was: a
        /// trigger clears the map then, so a row holds one or the other (a check enforces at least one). The search
        /// queue triggers watch the map and the content hash too, since the body of a mapped row changes with them.
        /// </remarks>
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "body",
                table: "cables",
                type: "text",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AddColumn<byte[]>(
                name: "body_map",
                table: "cables",
                type: "bytea",
                nullable: true);

            migrationBuilder.Sql($"""
                ALTER TABLE cables ADD CONSTRAINT ck_cables_body_stored CHECK (body IS NOT NULL OR body_map IS NOT NULL);
                COMMENT ON COLUMN cables.body_map IS
                    'The body as lines of raw_text (BodyMap in Cables.Storage); body is null where this is set. cable_body() reads either.';

                {CableBodyFunction}

                CREATE FUNCTION cables_clear_stale_body_map() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.body_map := NULL;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER cables_clear_stale_body_map BEFORE UPDATE ON cables
                    FOR EACH ROW WHEN (NEW.body IS NOT NULL AND NEW.body_map IS NOT NULL)
                    EXECUTE FUNCTION cables_clear_stale_body_map();

                DROP TRIGGER cables_requeue_search ON cables;
                CREATE TRIGGER cables_requeue_search AFTER UPDATE OF subject, body, body_map, content_sha256 ON cables
                    FOR EACH ROW WHEN (OLD.subject IS DISTINCT FROM NEW.subject OR OLD.body IS DISTINCT FROM NEW.body
                                       OR OLD.body_map IS DISTINCT FROM NEW.body_map OR OLD.content_sha256 IS DISTINCT FROM NEW.content_sha256)
                    EXECUTE FUNCTION cables_requeue_search();
                """);
        }

        /// <summary>
        /// The decoder of <c>BodyMap</c>: ops of a varint each, <c>count &lt;&lt; 1</c> then a varint skip (pass that
        /// many raw lines, take <c>count</c> right-trimmed), or <c>length &lt;&lt; 1 | 1</c> then one UTF-8 line.
        /// Raises on a map that reads past its end or past the raw text's lines, as the C# decoder throws.
        /// <c>exact =&gt; false</c> leaves the raw lines' trailing blanks, which no text search sees (the parser of
        /// <c>to_tsvector</c> skips blanks and counts no position for them): the search indexer's text, at a third of
        /// the cost, since trimming line by line is most of the decoder's work in PL/pgSQL.
        /// </summary>
        internal const string CableBodyFunction = """
            CREATE FUNCTION cable_body(body text, raw_text text, body_map bytea, exact boolean DEFAULT true) RETURNS text
            LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
            DECLARE
                raw_lines text[];
                line_count int;
                taken text[] := '{}';
                at int := 0;
                map_length int;
                value bigint;
                b int;
                shift int;
                run_count bigint;          -- lines of a run whose skip is read next; null when an op is
                next_line bigint := 1;
                blanks text := ' ' || chr(9) || chr(13) || chr(12) || chr(11);
            BEGIN
                IF body IS NOT NULL OR body_map IS NULL THEN
                    RETURN body;
                END IF;
                raw_lines := string_to_array(raw_text, chr(10));
                line_count := coalesce(array_length(raw_lines, 1), 0);
                map_length := length(body_map);
                WHILE at < map_length LOOP
                    value := 0;
                    shift := 0;
                    LOOP
                        IF at >= map_length OR shift > 28 THEN
                            RAISE EXCEPTION 'the stored body map is damaged: it reads past its end';
                        END IF;
                        b := get_byte(body_map, at);
                        at := at + 1;
                        value := value | ((b & 127)::bigint << shift);
                        EXIT WHEN b < 128;
                        shift := shift + 7;
                    END LOOP;

                    IF run_count IS NOT NULL THEN
                        next_line := next_line + value;
                        IF next_line + run_count - 1 > line_count THEN
                            RAISE EXCEPTION 'the stored body map is damaged: it reads past the raw text''s lines';
                        END IF;
                        IF exact THEN
                            taken := taken || ARRAY(SELECT rtrim(l.line, blanks)
                                                    FROM unnest(raw_lines[next_line:next_line + run_count - 1]) WITH ORDINALITY l(line, n)
                                                    ORDER BY l.n);
                        ELSE
                            taken := taken || raw_lines[next_line:next_line + run_count - 1];
                        END IF;
                        next_line := next_line + run_count;
                        run_count := NULL;
                    ELSIF value & 1 = 0 THEN
                        run_count := value >> 1;
                    ELSE
                        IF at + (value >> 1) > map_length THEN
                            RAISE EXCEPTION 'the stored body map is damaged: it reads past its end';
                        END IF;
                        taken := taken || convert_from(substring(body_map FROM at + 1 FOR (value >> 1)::int), 'UTF8');
                        at := at + (value >> 1)::int;
                    END IF;
                END LOOP;
                IF run_count IS NOT NULL THEN
                    RAISE EXCEPTION 'the stored body map is damaged: it reads past its end';
                END IF;
                RETURN array_to_string(taken, chr(10));
            END $$;
            """;

        /// <inheritdoc />
        /// <remarks>Refuses while a cable keeps its body only as a map: an older release would read none.</remarks>
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    IF EXISTS (SELECT 1 FROM cables WHERE body IS NULL)
                       OR EXISTS (SELECT 1 FROM cable_revisions WHERE parsed ->> 'bodyMap' IS NOT NULL AND parsed ->> 'body' IS NULL) THEN
                        RAISE EXCEPTION 'cables stored since migration BodyFromRawText keep their body only as a map over their raw text: going back would lose it';
                    END IF;
                END $$;
                DROP TRIGGER cables_requeue_search ON cables;
                DROP TRIGGER cables_clear_stale_body_map ON cables;
                DROP FUNCTION cables_clear_stale_body_map();
                DROP FUNCTION cable_body(text, text, bytea, boolean);
                ALTER TABLE cables DROP CONSTRAINT ck_cables_body_stored;
                ALTER TABLE cables DROP COLUMN body_map;
                ALTER TABLE cables ALTER COLUMN body SET NOT NULL;
                CREATE TRIGGER cables_requeue_search AFTER UPDATE OF subject, body ON cables
                    FOR EACH ROW WHEN (OLD.subject IS DISTINCT FROM NEW.subject OR OLD.body IS DISTINCT FROM NEW.body)
                    EXECUTE FUNCTION cables_requeue_search();
                """);
        }
    }
}
