using System.Text;

namespace Cables.Cli.Ingestion;

/// <summary>
/// The rule both job files (resume state, rejects) keep so that a process killed at any moment leaves them usable:
/// a record is one line, written whole in one write, and a line without its newline is a write that did not finish.
/// </summary>
internal static class LineFile
{
    /// <summary>
    /// Opens (or creates) <paramref name="path"/> to append records to, unbuffered so that every write is one system
    /// call: cuts a torn last line, hands every complete line to <paramref name="read"/>, and leaves the position at the end.
    /// </summary>
    public static FileStream OpenForAppend(string path, Action<string> read)
    {
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        try
        {
            CutTornTail(file);
            file.Position = 0;
            using (var reader = new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, 1 << 16, leaveOpen: true))
            {
                while (reader.ReadLine() is { } line)
                {
                    read(line);
                }
            }

            file.Seek(0, SeekOrigin.End);
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Cuts a last line that has no newline, so the next record starts a line of its own and a torn record is never
    /// read (a torn id can be a prefix of another id). Returns whether anything was cut; leaves the position at the end.
    /// </summary>
    public static bool CutTornTail(FileStream file)
    {
        var end = file.Length;
        var buffer = new byte[4096];
        var position = end;
        var complete = 0L;
        while (position > 0)
        {
            var count = (int)Math.Min(buffer.Length, position);
            position -= count;
            file.Position = position;
            file.ReadExactly(buffer, 0, count);
            var newline = buffer.AsSpan(0, count).LastIndexOf((byte)'\n');
            if (newline >= 0)
            {
                complete = position + newline + 1;
                break;
            }
        }

        if (complete < end)
        {
            file.SetLength(complete);
        }

        file.Seek(0, SeekOrigin.End);
        return complete < end;
    }
}
