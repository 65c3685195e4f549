using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Cables.Parsing.Internal;
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
        var rows = new RowReader(reader);
        while (true)
        {
            var row = rows.Next(out var needsText);
            if (needsText)
            {
                rows.Fill();
            }
            else if (row is null)
            {
                yield break;
            }
            else
            {
                yield return row;
            }
        }
    }

    /// <summary>Async reading of a stream (UTF-8), for the CLI and the ingest endpoint.</summary>
    public static async IAsyncEnumerable<CablesCsvRow> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        var rows = new RowReader(reader);
        while (true)
        {
            var row = rows.Next(out var needsText);
            if (needsText)
            {
                await rows.FillAsync(cancellationToken);
            }
            else if (row is null)
            {
                yield break;
            }
            else
            {
                yield return row;
            }
        }
    }

    /// <summary>The records of the text read so far; the sync and async readers differ only in how they read more.</summary>
    private sealed class RowReader(TextReader reader)
    {
        private readonly LineBuffer _lines = new(reader);
        private readonly RecordAssembler _records = new();

        /// <summary>The next record, null at the end, or null with <paramref name="needsText"/> when more text must be read first.</summary>
        public CablesCsvRow? Next(out bool needsText)
        {
            needsText = false;
            while (true)
            {
                BudgetClock.Check();
                switch (_lines.Next(out var start, out var length))
                {
                    case LineBuffer.Status.NeedsText:
                        needsText = true;
                        return null;
                    case LineBuffer.Status.End:
                        return _records.Finish();
                    default:
                        if (_records.Add(_lines.Text(start, length)) is { } row)
                        {
                            return row;
                        }

                        break;
                }
            }
        }

        public void Fill() => _lines.Fill();

        public ValueTask FillAsync(CancellationToken cancellationToken) => _lines.FillAsync(cancellationToken);
    }

    /// <summary>
    /// The reader's lines as <see cref="TextReader.ReadLine"/> splits them (at <c>\n</c>, <c>\r</c> or <c>\r\n</c>), each
    /// handed out as a range of this buffer: a dump's cable text is a hundred lines, and making each a string cost
    /// more than the rest of the read.
    /// </summary>
    private sealed class LineBuffer(TextReader reader)
    {
        public enum Status { Line, NeedsText, End }

        private char[] _buffer = new char[1 << 16];
        private int _start;
        private int _end;
        private bool _atEnd;

        public ReadOnlySpan<char> Text(int start, int length) => _buffer.AsSpan(start, length);

        /// <summary>The next line's range, valid until the next call; <see cref="Status.NeedsText"/> asks for a <see cref="Fill"/> first.</summary>
        public Status Next(out int start, out int length)
        {
            start = _start;
            length = 0;
            var pending = _buffer.AsSpan(_start, _end - _start);
            var at = pending.IndexOfAny('\r', '\n');
            if (at < 0 || (pending[at] == '\r' && at + 1 == pending.Length && !_atEnd))
            {
                // No line break yet, or a \r whose \n may come with the next read.
                if (!_atEnd)
                {
                    return Status.NeedsText;
                }

                if (pending.IsEmpty)
                {
                    return Status.End;
                }

                length = pending.Length;
                _start = _end;
                return Status.Line;
            }

            length = at;
            _start += at + (pending[at] == '\r' && at + 1 < pending.Length && pending[at + 1] == '\n' ? 2 : 1);
            return Status.Line;
        }

        public void Fill() => Filled(reader.Read(Space()));

        public async ValueTask FillAsync(CancellationToken cancellationToken) => Filled(await reader.ReadAsync(SpaceMemory(), cancellationToken));

        private Span<char> Space() => SpaceMemory().Span;

        /// <summary>Room after the unread text: moved to the front, and the buffer doubled when a line fills it.</summary>
        private Memory<char> SpaceMemory()
        {
            if (_start > 0)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            return _buffer.AsMemory(_end);
        }

        private void Filled(int read)
        {
            _end += read;
            _atEnd = read == 0;
        }
    }

    /// <summary>Gathers the lines of one record; a line that starts a record completes the one before it.</summary>
    private sealed class RecordAssembler
    {
        private const int MaxKeptRecord = 1 << 20;

        private char[] _record = new char[1 << 14];
        private char[] _fields = new char[1 << 14];
        private int _length;
        private long _row;
        private long _line;
        private long _recordLine;

        public CablesCsvRow? Add(ReadOnlySpan<char> line)
        {
            _line++;
            CablesCsvRow? completed = null;
            if (_length > 0 && StartsRecord(line))
            {
                completed = Complete();
            }

            if (_length == 0)
            {
                _recordLine = _line;
            }
            else
            {
                Append("\n");
            }

            Append(line);
            return completed;
        }

        public CablesCsvRow? Finish() => _length > 0 ? Complete() : null;

        private CablesCsvRow Complete()
        {
            if (_fields.Length < _length)
            {
                _fields = new char[_record.Length];
            }

            var row = ParseRecord(++_row, _recordLine, _record.AsSpan(0, _length), _fields);
            _length = 0;
            if (_record.Length > MaxKeptRecord)
            {
                // One huge record should not pin its buffers for the rest of the file.
                _record = new char[1 << 14];
                _fields = new char[1 << 14];
            }

            return row;
        }

        private void Append(ReadOnlySpan<char> text)
        {
            if (_length + text.Length > _record.Length)
            {
                Array.Resize(ref _record, Math.Max(_record.Length * 2, _length + text.Length));
            }

            text.CopyTo(_record.AsSpan(_length));
            _length += text.Length;
        }
    }

    /// <summary>"123","9/29/2000 9:15", …</summary>
    private static bool StartsRecord(ReadOnlySpan<char> line)
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

    /// <summary>Reads one record; <paramref name="unescaped"/> (at least as long as the record) receives its fields.</summary>
    private static CablesCsvRow ParseRecord(long row, long line, ReadOnlySpan<char> record, Span<char> unescaped)
    {
        Span<Range> fields = stackalloc Range[FieldCount];
        var error = SplitFields(record, unescaped, fields, out var count);
        if (error is not null)
        {
            return new CablesCsvRow(row, line, null, $"row {row} (line {line}): {error}");
        }

        if (count != FieldCount)
        {
            return new CablesCsvRow(row, line, null, $"row {row} (line {line}): {count} fields, expected {FieldCount}");
        }

        var date = unescaped[fields[1]];
        var referenceId = unescaped[fields[2]];
        if (!DateTime.TryParseExact(date, DateFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var created))
        {
            return new CablesCsvRow(row, line, null, $"row {row} (line {line}): unreadable date '{date}'");
        }

        if (referenceId.IsEmpty)
        {
            return new CablesCsvRow(row, line, null, $"row {row} (line {line}): empty reference id");
        }

        var metadata = new SourceMetadata
        {
            ReferenceId = referenceId.ToString(),
            Created = created,
            Origin = unescaped[fields[3]].ToString(),
            Classification = unescaped[fields[4]].ToString(),
            // The dump separates references with commas, and in some rows with '|'.
            References = unescaped[fields[5]].ToString().Split([',', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };

        // As corpus/README.md builds telegram text from a row: header, a blank line, content, one final line break.
        var telegram = string.Concat(unescaped[fields[6]].TrimEnd(), "\n\n", unescaped[fields[7]].TrimEnd('\n'), "\n");
        return new CablesCsvRow(row, line, new RawCable(telegram, SourceFormat.CablesCsv, metadata), null);
    }

    private static readonly string[] DateFormats = ["M/d/yyyy H:mm", "M/d/yyyy HH:mm"];

    /// <summary>
    /// Double-quoted fields separated by commas; <c>\"</c>, <c>\'</c> and <c>\\</c> unescaped; a quote ends a field only
    /// before a comma or the end. Each field is unescaped into <paramref name="unescaped"/>, at the range
    /// <paramref name="fields"/> gives; fields past its length are counted, not kept.
    /// </summary>
    private static string? SplitFields(ReadOnlySpan<char> text, Span<char> unescaped, Span<Range> fields, out int count)
    {
        count = 0;
        var written = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != '"')
            {
                return $"field {count + 1} does not start with a quote";
            }

            i++;
            var fieldStart = written;
            var closed = false;
            while (i < text.Length)
            {
                // Copy up to the next backslash or quote in one go.
                var next = text[i..].IndexOfAny('\\', '"');
                if (next < 0)
                {
                    text[i..].CopyTo(unescaped[written..]);
                    written += text.Length - i;
                    i = text.Length;
                    break;
                }

                text.Slice(i, next).CopyTo(unescaped[written..]);
                written += next;
                i += next;
                var c = text[i];
                if (c == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\'' or '\\')
                {
                    unescaped[written++] = text[i + 1];
                    i += 2;
                    continue;
                }

                if (c == '"' && (i + 1 == text.Length || text[i + 1] == ','))
                {
                    closed = true;
                    i++;
                    break;
                }

                unescaped[written++] = c;
                i++;
            }

            if (!closed)
            {
                return $"field {count + 1} is not closed";
            }

            if (count < fields.Length)
            {
                fields[count] = fieldStart..written;
            }

            count++;
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
