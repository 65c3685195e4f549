using System.Buffers;
using System.Numerics;
using System.Text;

namespace Cables.Storage;

/// <summary>
/// A parsed body written as the raw text's lines it was cut from, so a row need not store the text twice. The parser's
/// body is the raw text's lines, right-trimmed, less the header, page markers and runs of blank lines, with a few lines
/// rewritten (glued sentences, TAGS links, paragraph signs). The map keeps runs of raw lines by number and the rewritten
/// lines as they are: on the corpus a few hundred bytes against 6 KB of body.
/// </summary>
/// <remarks>
/// A map is a sequence of operations, each led by a varint:
/// <list type="bullet">
/// <item><c>count &lt;&lt; 1</c>, then a varint <c>skip</c>: pass <c>skip</c> raw lines, then take the next <c>count</c>;</item>
/// <item><c>length &lt;&lt; 1 | 1</c>, then <c>length</c> bytes of UTF-8: one line as it is.</item>
/// </list>
/// Lines are what <c>\n</c> separates; a raw line is taken without its trailing ASCII blanks (space, tab, CR, FF, VT);
/// the body is the lines the operations give, joined by <c>\n</c>. Raw lines are taken in order and once at most, so a
/// body is never longer than its raw text plus the map, whatever a stored map says.
/// </remarks>
public static class BodyMap
{
    /// <summary>How many raw lines past the last one taken the encoder looks for a body line (page markers, blank runs).</summary>
    private const int LookAhead = 16;

    /// <summary>
    /// The map of <paramref name="body"/> over <paramref name="rawText"/>, or null when the body is better stored as it
    /// is: when its lines are not the raw text's (a rendering the parser converted, a parse that failed), the map would
    /// hold the body anyway.
    /// </summary>
    public static byte[]? Encode(string rawText, string body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        var raw = rawText.AsSpan();
        var lineStarts = ArrayPool<int>.Shared.Rent(raw.Count('\n') + 2);
        var map = new ArrayBufferWriter<byte>(64);
        try
        {
            var lineCount = 0;
            for (var at = 0; ;)
            {
                lineStarts[lineCount++] = at;
                var next = raw[at..].IndexOf('\n');
                if (next < 0)
                {
                    break;
                }

                at += next + 1;
            }

            lineStarts[lineCount] = raw.Length + 1;

            var flushed = 0;       // first raw line past the runs written to the map
            var runStart = -1;     // first raw line of the run being taken, -1 when none
            var runCount = 0;
            var literalBytes = 0;
            var bodyLines = body.AsSpan();
            for (var first = true; ; first = false)
            {
                var end = bodyLines.IndexOf('\n');
                var line = end < 0 ? bodyLines : bodyLines[..end];

                var from = runStart >= 0 ? runStart + runCount : flushed;
                var found = -1;
                var searchEnd = first ? lineCount : Math.Min(lineCount, from + LookAhead);
                for (var candidate = from; candidate < searchEnd; candidate++)
                {
                    if (RawLine(raw, lineStarts, candidate).SequenceEqual(line))
                    {
                        found = candidate;
                        break;
                    }
                }

                if (found >= 0 && found == from && runStart >= 0)
                {
                    runCount++;
                }
                else
                {
                    flushed = Flush(map, flushed, runStart, runCount);
                    runStart = found;
                    runCount = found >= 0 ? 1 : 0;
                    if (found < 0)
                    {
                        literalBytes += WriteLiteral(map, line);
                    }
                }

                if (end < 0)
                {
                    break;
                }

                bodyLines = bodyLines[(end + 1)..];
            }

            Flush(map, flushed, runStart, runCount);

            // Worth it only when most of the body comes from the raw text.
            return literalBytes * 2 > body.Length ? null : map.WrittenSpan.ToArray();
        }
        finally
        {
            ArrayPool<int>.Shared.Return(lineStarts);
        }

        static int Flush(ArrayBufferWriter<byte> map, int flushed, int runStart, int runCount)
        {
            if (runStart < 0)
            {
                return flushed;
            }

            WriteVarint(map, (uint)runCount << 1);
            WriteVarint(map, (uint)(runStart - flushed));
            return runStart + runCount;
        }
    }

    /// <summary>The body <paramref name="map"/> gives over <paramref name="rawText"/>.</summary>
    /// <exception cref="InvalidDataException">The map is damaged.</exception>
    public static string Decode(string rawText, ReadOnlySpan<byte> map)
    {
        var buffer = ArrayPool<char>.Shared.Rent(rawText.Length + map.Length + 1);
        try
        {
            var writer = new LineWriter<char>(buffer);
            var raw = new RawLines<char>(rawText);
            Apply(map, ref raw, ref writer);
            return new string(buffer, 0, writer.Length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Writes the body's UTF-8 into <paramref name="destination"/> and returns its length. <paramref name="destination"/>
    /// must hold <see cref="MaxUtf8Length"/> bytes.
    /// </summary>
    /// <exception cref="InvalidDataException">The map is damaged.</exception>
    public static int DecodeUtf8(ReadOnlySpan<byte> rawUtf8, ReadOnlySpan<byte> map, Span<byte> destination)
    {
        var writer = new LineWriter<byte>(destination);
        var raw = new RawLines<byte>(rawUtf8);
        Apply(map, ref raw, ref writer);
        return writer.Length;
    }

    /// <summary>A bound on the length of a decoded body: raw lines are taken once at most.</summary>
    public static int MaxUtf8Length(int rawUtf8Length, int mapLength) => rawUtf8Length + mapLength + 1;

    private static void Apply<T>(ReadOnlySpan<byte> map, ref RawLines<T> raw, ref LineWriter<T> writer)
        where T : unmanaged, IBinaryInteger<T>
    {
        while (!map.IsEmpty)
        {
            var op = ReadVarint(ref map);
            if ((op & 1) == 0)
            {
                var count = op >> 1;
                raw.Skip(ReadVarint(ref map));
                for (; count > 0; count--)
                {
                    writer.WriteLine(raw.Next());
                }
            }
            else
            {
                var length = (int)(op >> 1);
                if (length > map.Length)
                {
                    throw Damaged();
                }

                writer.WriteUtf8Line(map[..length]);
                map = map[length..];
            }
        }
    }

    private static ReadOnlySpan<char> RawLine(ReadOnlySpan<char> raw, int[] lineStarts, int line)
    {
        var start = lineStarts[line];
        var end = Math.Min(lineStarts[line + 1] - 1, raw.Length);
        return WithoutTrailingBlanks(raw[start..end]);
    }

    /// <summary>A raw line as the map takes it, for the encoder and both decoders alike: without trailing ASCII blanks.</summary>
    private static ReadOnlySpan<T> WithoutTrailingBlanks<T>(ReadOnlySpan<T> line)
        where T : unmanaged, IBinaryInteger<T>
    {
        var length = line.Length;
        while (length > 0 && IsBlank(line[length - 1]))
        {
            length--;
        }

        return line[..length];

        static bool IsBlank(T c) =>
            c == T.CreateTruncating(' ') || c == T.CreateTruncating('\t') || c == T.CreateTruncating('\r')
            || c == T.CreateTruncating('\f') || c == T.CreateTruncating('\v');
    }

    private static int WriteLiteral(ArrayBufferWriter<byte> map, ReadOnlySpan<char> line)
    {
        var length = Encoding.UTF8.GetByteCount(line);
        WriteVarint(map, ((uint)length << 1) | 1);
        map.Advance(Encoding.UTF8.GetBytes(line, map.GetSpan(length)));
        return length;
    }

    private static void WriteVarint(ArrayBufferWriter<byte> map, uint value)
    {
        var span = map.GetSpan(5);
        var written = 0;
        for (; value >= 0x80; value >>= 7)
        {
            span[written++] = (byte)(value | 0x80);
        }

        span[written++] = (byte)value;
        map.Advance(written);
    }

    private static uint ReadVarint(ref ReadOnlySpan<byte> map)
    {
        uint value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if (map.IsEmpty)
            {
                break;
            }

            var b = map[0];
            map = map[1..];
            value |= (uint)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw Damaged();
    }

    private static InvalidDataException Damaged() => new("the stored body map is damaged: it reads past its end or past the raw text's lines");

    /// <summary>The raw text's lines in order, each without its trailing blanks; <see cref="Next"/> past the last line is damage.</summary>
    private ref struct RawLines<T>(ReadOnlySpan<T> text)
        where T : unmanaged, IBinaryInteger<T>
    {
        private ReadOnlySpan<T> _rest = text;
        private bool _done;

        public void Skip(uint lines)
        {
            for (; lines > 0; lines--)
            {
                Next();
            }
        }

        public ReadOnlySpan<T> Next()
        {
            if (_done)
            {
                throw Damaged();
            }

            var end = _rest.IndexOf(T.CreateTruncating('\n'));
            ReadOnlySpan<T> line;
            if (end < 0)
            {
                line = _rest;
                _rest = default;
                _done = true;
            }
            else
            {
                line = _rest[..end];
                _rest = _rest[(end + 1)..];
            }

            return WithoutTrailingBlanks(line);
        }
    }

    /// <summary>Lines joined by <c>\n</c> into a buffer the caller sized with <see cref="MaxUtf8Length"/>.</summary>
    private ref struct LineWriter<T>(Span<T> destination)
        where T : unmanaged, IBinaryInteger<T>
    {
        private readonly Span<T> _destination = destination;

        public int Length { get; private set; }

        public void WriteLine(ReadOnlySpan<T> line)
        {
            Separate();
            line.CopyTo(_destination[Length..]);
            Length += line.Length;
        }

        public void WriteUtf8Line(ReadOnlySpan<byte> utf8)
        {
            Separate();
            if (typeof(T) == typeof(byte))
            {
                utf8.CopyTo(System.Runtime.InteropServices.MemoryMarshal.Cast<T, byte>(_destination[Length..]));
                Length += utf8.Length;
            }
            else
            {
                Length += Encoding.UTF8.GetChars(utf8, System.Runtime.InteropServices.MemoryMarshal.Cast<T, char>(_destination[Length..]));
            }
        }

        private bool _started;

        private void Separate()
        {
            if (_started)
            {
                _destination[Length++] = T.CreateTruncating('\n');
            }

            _started = true;
        }
    }
}
