using System.Text;

namespace Cables.Cli.Ingestion;

/// <summary>
/// Append-only file of acknowledged client item ids, one a line, so a later run skips what an earlier one
/// had committed. Lines are flushed to the OS at least every second (a killed process loses nothing it
/// flushed) and fsynced on dispose; a machine crash can lose the last second, which a rerun resends and
/// the idempotent service answers UNCHANGED.
/// </summary>
public sealed class ResumeState : IDisposable
{
    private static readonly TimeSpan s_flushInterval = TimeSpan.FromSeconds(1);

    private readonly HashSet<string> _acknowledged;
    private readonly FileStream _file;
    private readonly StreamWriter _writer;
    private readonly Lock _lock = new();
    private long _lastFlush = Environment.TickCount64;

    private ResumeState(HashSet<string> acknowledged, FileStream file)
    {
        _acknowledged = acknowledged;
        _file = file;
        _writer = new StreamWriter(file, new UTF8Encoding(false), 1 << 16);
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

    /// <summary>Loads the ids an earlier run recorded (none when the file is new) and opens the file for appending.</summary>
    public static ResumeState Open(string path)
    {
        var acknowledged = new HashSet<string>(StringComparer.Ordinal);
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        try
        {
            var complete = true;
            using (var reader = new StreamReader(file, Encoding.UTF8, false, 1 << 16, leaveOpen: true))
            {
                string? line;
                string? last = null;
                while ((line = reader.ReadLine()) is not null)
                {
                    if (last is not null)
                    {
                        acknowledged.Add(last);
                    }

                    last = line;
                }

                if (last is not null)
                {
                    // The last line counts only if its newline made it to disk; otherwise the write was torn.
                    file.Seek(-1, SeekOrigin.End);
                    complete = file.ReadByte() == '\n';
                    if (complete && last.Length > 0)
                    {
                        acknowledged.Add(last);
                    }
                }
            }

            acknowledged.Remove("");
            file.Seek(0, SeekOrigin.End);
            if (!complete)
            {
                file.WriteByte((byte)'\n'); // end the torn line so the next id starts on its own
            }

            return new ResumeState(acknowledged, file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public bool Contains(string id)
    {
        lock (_lock)
        {
            return _acknowledged.Contains(id);
        }
    }

    public void Add(string id)
    {
        lock (_lock)
        {
            if (!_acknowledged.Add(id))
            {
                return;
            }

            _writer.Write(id);
            _writer.Write('\n');
            var now = Environment.TickCount64;
            if (now - _lastFlush >= s_flushInterval.TotalMilliseconds)
            {
                _writer.Flush();
                _lastFlush = now;
            }
        }
    }

    /// <summary>Writes buffered ids to the OS and, when <paramref name="durable"/>, to the disk.</summary>
    public void Flush(bool durable)
    {
        lock (_lock)
        {
            _writer.Flush();
            if (durable)
            {
                _file.Flush(flushToDisk: true);
            }
        }
    }

    public void Dispose()
    {
        Flush(durable: true);
        _writer.Dispose();
    }
}
