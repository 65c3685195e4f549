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
        /// </summary>
        internal const string CableBodyFunction = """
            CREATE FUNCTION cable_body(body text, raw_text text, body_map bytea) RETURNS text
            LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
            DECLARE
                raw_lines text[];
                line_count int;
                taken text[] := '{}';
                at int := 0;
                map_length int;
                op bigint;
                skip bigint;
                next_line int := 1;
                take_count int;
                literal_length int;
                blanks text := ' ' || chr(9) || chr(13) || chr(12) || chr(11);
            BEGIN
                IF body IS NOT NULL OR body_map IS NULL THEN
                    RETURN body;
                END IF;
                raw_lines := string_to_array(raw_text, chr(10));
                line_count := coalesce(array_length(raw_lines, 1), 0);
                map_length := length(body_map);
                WHILE at < map_length LOOP
                    SELECT v.value, v.next_at INTO op, at FROM cable_body_varint(body_map, at) v;
                    IF op & 1 = 0 THEN
                        SELECT v.value, v.next_at INTO skip, at FROM cable_body_varint(body_map, at) v;
                        take_count := op >> 1;
                        next_line := next_line + skip;
                        IF next_line + take_count - 1 > line_count THEN
                            RAISE EXCEPTION 'the stored body map is damaged: it reads past the raw text''s lines';
                        END IF;
                        taken := taken || ARRAY(SELECT rtrim(l.line, blanks)
                                                FROM unnest(raw_lines[next_line:next_line + take_count - 1]) WITH ORDINALITY l(line, n)
                                                ORDER BY l.n);
                        next_line := next_line + take_count;
                    ELSE
                        literal_length := op >> 1;
                        IF at + literal_length > map_length THEN
                            RAISE EXCEPTION 'the stored body map is damaged: it reads past its end';
                        END IF;
                        taken := taken || convert_from(substring(body_map FROM at + 1 FOR literal_length), 'UTF8');
                        at := at + literal_length;
                    END IF;
                END LOOP;
                RETURN array_to_string(taken, chr(10));
            END $$;

            CREATE FUNCTION cable_body_varint(map bytea, at int, OUT value bigint, OUT next_at int)
            LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
            DECLARE
                b int;
                shift int := 0;
            BEGIN
                value := 0;
                next_at := at;
                LOOP
                    IF next_at >= length(map) OR shift > 28 THEN
                        RAISE EXCEPTION 'the stored body map is damaged: it reads past its end';
                    END IF;
                    b := get_byte(map, next_at);
                    next_at := next_at + 1;
                    value := value | ((b & 127)::bigint << shift);
                    EXIT WHEN b < 128;
                    shift := shift + 7;
                END LOOP;
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
                DROP FUNCTION cable_body(text, text, bytea);
                DROP FUNCTION cable_body_varint(bytea, int);
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
