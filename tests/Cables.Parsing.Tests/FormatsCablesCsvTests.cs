namespace Cables.Parsing.Tests;

public class FormatsCablesCsvTests
{
    private static string CsvPath => SharedFolder.Path("corpus", "formats", "cables.csv");

    [Fact]
    public void Every_row_of_the_corpus_dump_is_read()
    {
        using var reader = File.OpenText(CsvPath);
        var rows = CablesCsv.Read(reader).ToList();

        Assert.Equal(400, rows.Count);
        Assert.All(rows, r => Assert.Null(r.Error));
        Assert.Equal(Enumerable.Range(1, rows.Count).Select(i => (long)i), rows.Select(r => r.RowNumber));
    }

    /// <summary>Telegram text = header, blank line, content: equal to the corpus file for every row the corpus took from the CSV.</summary>
    [Fact]
    public void Row_text_and_metadata_equal_the_corpus_for_csv_cables()
    {
        using var reader = File.OpenText(CsvPath);
        var compared = 0;
        foreach (var cable in CablesCsv.ReadRows(reader))
        {
            var id = cable.Metadata!.ReferenceId!;
            if (!Truth.Has(id) || Truth.SourceFormat(id) != "csv-row")
            {
                continue;
            }

            Assert.Equal(File.ReadAllText(SharedFolder.Path("corpus", "cables", id + ".txt")), cable.Text);
            var truth = Truth.Of(id);
            Assert.Equal(truth["origin"]!.GetValue<string>(), cable.Metadata.Origin);
            Assert.Equal(truth["classification"]!.GetValue<string>(), cable.Metadata.Classification);
            Assert.Equal(truth["created"]!.GetValue<string>(), cable.Metadata.Created?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
            compared++;
        }

        Assert.True(compared >= 300, $"only {compared} csv rows found in the corpus");
    }

    [Fact]
    public void Escapes_and_newlines_inside_fields_are_read()
    {
        const string csv = "\"7\",\"9/29/2000 9:15\",\"00JAKARTA4700\",\"Embassy Jakarta\",\"CONFIDENTIAL\",\"00STATE1,00STATE2\",\"R 290915Z SEP 00\nFM AMEMBASSY JAKARTA\n\",\"SUBJECT: COHEN\\'S \\\"LUNCH\\\"\n\n1. TEXT \\\\ END\"\n";

        var cable = Assert.Single(CablesCsv.ReadRows(new StringReader(csv)));

        Assert.Equal("R 290915Z SEP 00\nFM AMEMBASSY JAKARTA\n\nSUBJECT: COHEN'S \"LUNCH\"\n\n1. TEXT \\ END\n", cable.Text);
        Assert.Equal(SourceFormat.CablesCsv, cable.Format);
        Assert.Equal(new DateTime(2000, 9, 29, 9, 15, 0, DateTimeKind.Utc), cable.Metadata!.Created);
        Assert.Equal(["00STATE1", "00STATE2"], cable.Metadata.References);
    }

    [Fact]
    public void References_separated_by_bars_are_read_as_several()
    {
        const string csv = "\"8\",\"8/8/2003 10:33\",\"03BANGKOK4240\",\"Embassy Bangkok\",\"UNCLASSIFIED\",\"03BANGKOK2776|03RANGOON4, 03STATE1\",\"R 080933Z AUG 03\n\",\"SUBJECT: X\n\"\n";

        var cable = Assert.Single(CablesCsv.ReadRows(new StringReader(csv)));

        Assert.Equal(["03BANGKOK2776", "03RANGOON4", "03STATE1"], cable.Metadata!.References);
    }

    [Fact]
    public void A_malformed_row_is_reported_by_number_and_the_next_rows_survive()
    {
        var csv = new StringBuilder()
            .Append(Row(1, "01ROME1", "ONE")).Append('\n')
            .Append("\"2\",\"13/45/2001 99:99\",\"01ROME2\",\"Embassy Rome\",\"SECRET\",\"\",\"HDR\",\"broken date\"\n")
            .Append("\"3\",\"1/2/2001 10:00\",\"01ROME3\",\"Embassy Rome\",\"SECRET\",\"\",\"HDR\",\"unterminated quote\n")
            .Append(Row(4, "01ROME4", "FOUR")).Append('\n')
            .ToString();

        var rows = CablesCsv.Read(new StringReader(csv)).ToList();

        Assert.Equal(4, rows.Count);
        Assert.Equal(["01ROME1", "01ROME4"], rows.Where(r => r.IsValid).Select(r => r.Cable!.Metadata!.ReferenceId!));
        Assert.StartsWith("row 2 (line 2): unreadable date", rows[1].Error, StringComparison.Ordinal);
        Assert.StartsWith("row 3 (line 3): field 8 is not closed", rows[2].Error, StringComparison.Ordinal);
        Assert.Equal(2, CablesCsv.ReadRows(new StringReader(csv)).Count());
    }

    [Fact]
    public async Task Async_reading_of_a_stream_gives_the_same_rows()
    {
        await using var stream = File.OpenRead(CsvPath);
        var ids = new List<string>();
        await foreach (var row in CablesCsv.ReadAsync(stream))
        {
            ids.Add(row.Cable!.Metadata!.ReferenceId!);
        }

        using var reader = File.OpenText(CsvPath);
        Assert.Equal(CablesCsv.ReadRows(reader).Select(c => c.Metadata!.ReferenceId!), ids);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a csv at all\n")]
    [InlineData("\"1\",\"1/1/2001 1:00\"\n")]
    [InlineData("\"1\",\"1/1/2001 1:00\",\"X\",\"O\",\"C\",\"\",\"H\",\"C\",\"extra\"\n")]
    public void Odd_input_does_not_throw(string csv)
    {
        var rows = CablesCsv.Read(new StringReader(csv)).ToList();

        Assert.All(rows, r => Assert.True(r.IsValid || r.Error is not null));
    }

    /// <summary>Lines end as <see cref="TextReader.ReadLine"/> ends them (\n, \r\n or a lone \r), and a record's lines join with \n.</summary>
    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void Every_kind_of_line_break_reads_alike(string lineBreak)
    {
        var csv = string.Join(lineBreak, "", "", Row(1, "01ROME1", "A"), Row(2, "01ROME2", "B" + lineBreak + lineBreak + "C"), "");

        var rows = CablesCsv.Read(new StringReader(csv)).ToList();

        Assert.Equal(["01ROME1", "01ROME2"], rows.Select(r => r.Cable!.Metadata!.ReferenceId!));
        Assert.Equal([3L, 4L], rows.Select(r => r.LineNumber));
        Assert.Equal("R 021000Z JAN 01\n\nB\n\nC\n", rows[1].Cable!.Text);
    }

    /// <summary>
    /// A reader that hands out a few characters at a time splits \r\n and long lines across reads; the rows are the
    /// same as from one read, for lines shorter and longer than the reader's buffer.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4097)]
    public void Rows_do_not_depend_on_how_the_text_arrives(int charsPerRead)
    {
        var longLine = new string('z', 150_000);
        var csv = Row(1, "01ROME1", "A\r\nB\rC") + "\r\n" + Row(2, "01ROME2", longLine + "\r\n" + longLine) + "\r\n" + Row(3, "01ROME3", "\\\"D\\\"") + "\r";

        var whole = CablesCsv.Read(new StringReader(csv)).Select(r => r.Cable!.Text).ToList();
        var trickled = CablesCsv.Read(new TrickleReader(csv, charsPerRead)).Select(r => r.Cable!.Text).ToList();

        Assert.Equal(3, whole.Count);
        Assert.Equal(whole, trickled);
        Assert.Equal("R 021000Z JAN 01\n\nA\nB\nC\n", whole[0]);
        Assert.Equal("R 021000Z JAN 01\n\n" + longLine + "\n" + longLine + "\n", whole[1]);
        Assert.Equal("R 021000Z JAN 01\n\n\"D\"\n", whole[2]);
    }

    private static string Row(int n, string id, string content) =>
        $"\"{n}\",\"1/2/2001 10:00\",\"{id}\",\"Embassy Rome\",\"SECRET\",\"\",\"R 021000Z JAN 01\",\"{content}\"";

    /// <summary>Gives at most <paramref name="charsPerRead"/> characters a read.</summary>
    private sealed class TrickleReader(string text, int charsPerRead) : TextReader
    {
        private int _at;

        public override int Read(Span<char> buffer)
        {
            var count = Math.Min(Math.Min(charsPerRead, buffer.Length), text.Length - _at);
            text.AsSpan(_at, count).CopyTo(buffer);
            _at += count;
            return count;
        }

        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override int Peek() => _at < text.Length ? text[_at] : -1;

        public override int Read() => _at < text.Length ? text[_at++] : -1;
    }
}
