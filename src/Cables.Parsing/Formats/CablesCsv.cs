using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Cables.Parsing.Model;

namespace Cables.Parsing.Formats;

/// <summary>One record of cables.csv: the cable, or why the row could not be read. <see cref="RowNumber"/> counts records from 1.</summary>
public sealed record CablesCsvRow(long RowNumber, long LineNumber, RawCable? Cable, string? Error)
{
    public bool IsValid => Cable is not null;
}

/// <summary>
/// Streams the cables.csv dump (8 double-quoted fields: id, date <c>M/D/YYYY HH:MM</c>, refid, origin, classification,
/// references, header, content; <c>\"</c> and <c>\'</c> escaped; raw newlines inside fields) in constant memory: one
/// record in memory at a time. A record starts at a line that begins with <c>"&lt;id&gt;","&lt;M/D/YYYY</c>, so a
/// malformed row is reported on its own and never swallows the rows after it.
/// </summary>
public static class CablesCsv
{
    private const int FieldCount = 8;

    /// <summary>The readable rows; malformed ones are skipped (use <see cref="Read(TextReader)"/> to see them).</summary>
    public static IEnumerable<RawCable> ReadRows(TextReader reader)
    {
        foreach (var row in Read(reader))
        {
            if (row.Cable is not null)
            {
                yield return row.Cable;
            }
        }
    }

    /// <summary>Every record, readable or not, in file order.</summary>
    public static IEnumerable<CablesCsvRow> Read(TextReader reader)
    {
        var records = new RecordAssembler();
        while (reader.ReadLine() is { } line)
        {
            if (records.Add(line) is { } row)
            {
                yield return row;
            }
        }

        if (records.Finish() is { } last)
        {
            yield return last;
        }
    }

    /// <summary>Async reading of a stream (UTF-8), for the CLI and the ingest endpoint.</summary>
    public static async IAsyncEnumerable<CablesCsvRow> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        var records = new RecordAssembler();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (records.Add(line) is { } row)
            {
                yield return row;
            }
        }

        if (records.Finish() is { } last)
        {
            yield return last;
        }
    }

    /// <summary>Gathers the lines of one record; a line that starts a record completes the one before it.</summary>
    private sealed class RecordAssembler
    {
        private readonly StringBuilder _record = new();
        private long _row;
        private long _line;
        private long _recordLine;

        public CablesCsvRow? Add(string line)
        {
            _line++;
            CablesCsvRow? completed = null;
            if (_record.Length > 0 && StartsRecord(line))
            {
                completed = ParseRecord(++_row, _recordLine, _record);
                _record.Clear();
            }

            if (_record.Length == 0)
            {
                _recordLine = _line;
            }
            else
            {
                _record.Append('\n');
            }

            _record.Append(line);
            return completed;
        }

        public CablesCsvRow? Finish() => _record.Length > 0 ? ParseRecord(++_row, _recordLine, _record) : null;
    }

    /// <summary>"123","9/29/2000 9:15", …</summary>
    private static bool StartsRecord(string line)
    {
        var i = 0;
        if (line.Length < 8 || line[i++] != '"')
        {
            return false;
        }

        var digits = i;
        while (i < line.Length && char.IsAsciiDigit(line[i]))
        {
            i++;
        }

        if (i == digits || i + 4 >= line.Length || line[i] != '"' || line[i + 1] != ',' || line[i + 2] != '"')
        {
            return false;
        }

        i += 3;
        var month = i;
        while (i < line.Length && char.IsAsciiDigit(line[i]))
        {
            i++;
        }

        return i > month && i - month <= 2 && i < line.Length && line[i] == '/';
    }

    private static CablesCsvRow ParseRecord(long row, long line, StringBuilder record)
    {
        var text = record.ToString();
        var fields = new List<string>(FieldCount);
        var error = SplitFields(text, fields);
        if (error is not null)
        {
            return new CablesCsvRow(row, line, null, $"row {row} (line {line}): {error}");
        }

        if (fields.Count != FieldCount)
        {
            return new CablesCsvRow(row, line, null, $"row {row} (line {line}): {fields.Count} fields, expected {FieldCount}");
        }

        if (!DateTime.TryParseExact(fields[1], ["M/d/yyyy H:mm", "M/d/yyyy HH:mm"], CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var created))
        {
            return new CablesCsvRow(row, line, null, $"row {row} (line {line}): unreadable date '{fields[1]}'");
        }

        if (fields[2].Length == 0)
        {
            return new CablesCsvRow(row, line, null, $"row {row} (line {line}): empty reference id");
        }

        var metadata = new SourceMetadata
        {
            ReferenceId = fields[2],
            Created = created,
            Origin = fields[3],
            Classification = fields[4],
            References = fields[5].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };

        // As corpus/README.md builds telegram text from a row: header, a blank line, content, one final line break.
        var telegram = string.Concat(fields[6].TrimEnd(), "\n\n", fields[7].AsSpan().TrimEnd('\n'), "\n");
        return new CablesCsvRow(row, line, new RawCable(telegram, SourceFormat.CablesCsv, metadata), null);
    }

    /// <summary>Double-quoted fields separated by commas; <c>\"</c>, <c>\'</c> and <c>\\</c> unescaped; a quote ends a field only before a comma or the end.</summary>
    private static string? SplitFields(string text, List<string> fields)
    {
        var sb = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != '"')
            {
                return $"field {fields.Count + 1} does not start with a quote";
            }

            i++;
            sb.Clear();
            var closed = false;
            while (i < text.Length)
            {
                // Copy up to the next backslash or quote in one go.
                var next = text.AsSpan(i).IndexOfAny('\\', '"');
                if (next < 0)
                {
                    sb.Append(text.AsSpan(i));
                    i = text.Length;
                    break;
                }

                sb.Append(text.AsSpan(i, next));
                i += next;
                var c = text[i];
                if (c == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\'' or '\\')
                {
                    sb.Append(text[i + 1]);
                    i += 2;
                    continue;
                }

                if (c == '"' && (i + 1 == text.Length || text[i + 1] == ','))
                {
                    closed = true;
                    i++;
                    break;
                }

                sb.Append(c);
                i++;
            }

            if (!closed)
            {
                return $"field {fields.Count + 1} is not closed";
            }

            fields.Add(sb.ToString());
            if (i < text.Length)
            {
                i++; // the comma
                if (i == text.Length)
                {
                    return "trailing comma";
                }
            }
        }

        return null;
    }
}
