using System.Buffers;
using System.Text;

namespace Cables.Cli.Ingestion;

/// <summary>
/// Append-only file of client item ids with a final answer, one a line, so a later run skips what an earlier one
/// had finished. Ids are buffered and written only as whole lines: <see cref="Flush"/> (which the session calls
/// whenever it waits for the service) and a full buffer write them, so a killed process leaves complete lines and
/// at most a torn last one, which <see cref="Open"/> cuts. Ids not yet written are resent by the next run and come
/// back UNCHANGED from the idempotent service. Fsynced on dispose.
/// </summary>
public sealed class ResumeState : IDisposable
{
    private const int BufferSize = 1 << 16;

    private static readonly UTF8Encoding s_utf8 = new(false);

    private readonly HashSet<string> _acknowledged;
    private readonly FileStream _file;
    private readonly ArrayBufferWriter<byte> _buffer = new(BufferSize);
    private readonly Lock _lock = new();

    private ResumeState(HashSet<string> acknowledged, FileStream file)
    {
        _acknowledged = acknowledged;
        _file = file;
    }

    public string Path => _file.Name;

    /// <summary>Ids loaded from the file at start plus those added since.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _acknowledged.Count;
            }
        }
    }

    /// <summary>Loads the ids an earlier run recorded (none when the file is new), cuts a torn last line and opens the file for appending.</summary>
    public static ResumeState Open(string path)
    {
        var acknowledged = new HashSet<string>(StringComparer.Ordinal);
        var file = LineFile.OpenForAppend(path, line =>
        {
            if (line.Length > 0)
            {
                acknowledged.Add(line);
            }
        });
        return new ResumeState(acknowledged, file);
    }

    public bool Contains(string id)
    {
        lock (_lock)
        {
            return _acknowledged.Contains(id);
        }
    }

    /// <summary>Records an id (once); it reaches the file at the next <see cref="Flush"/> or when the buffer fills.</summary>
    public void Add(string id)
    {
        lock (_lock)
        {
            if (!_acknowledged.Add(id))
            {
                return;
            }

            var length = s_utf8.GetMaxByteCount(id.Length) + 1;
            if (_buffer.FreeCapacity < length && _buffer.WrittenCount > 0)
            {
                WriteBuffer();
            }

            var span = _buffer.GetSpan(length);
            var written = s_utf8.GetBytes(id, span);
            span[written] = (byte)'\n';
            _buffer.Advance(written + 1);
        }
    }

    /// <summary>Writes buffered ids to the OS (enough to survive a killed process) and, when <paramref name="durable"/>, to the disk.</summary>
    public void Flush(bool durable)
    {
        lock (_lock)
        {
            WriteBuffer();
            if (durable)
            {
                _file.Flush(flushToDisk: true);
            }
        }
    }

    private void WriteBuffer()
    {
        if (_buffer.WrittenCount > 0)
        {
            _file.Write(_buffer.WrittenSpan);
            _buffer.ResetWrittenCount();
        }
    }

    public void Dispose()
    {
        Flush(durable: true);
        _file.Dispose();
    }
}
