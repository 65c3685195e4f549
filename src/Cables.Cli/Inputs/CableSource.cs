using System.Text;
using Cables.Parsing.Formats;
using Cables.Parsing.Model;

namespace Cables.Cli.Inputs;

/// <summary>
/// Enumerates the cables of files and folders given on the command line, in a deterministic order:
/// arguments as given, folders walked recursively in ordinal order. <c>.txt</c> files are telegrams,
/// <c>.html</c>/<c>.htm</c> WikiLeaks pages, <c>.csv</c> cables.csv dumps (streamed row by row, so a
/// 1.7 GB dump reads in constant memory). A file named explicitly with another extension is read as a
/// telegram; inside folders such files are skipped.
/// </summary>
public sealed class CableSource
{
    private readonly IReadOnlyList<InputFile> _files;
    private long _bytesRead;

    private CableSource(IReadOnlyList<InputFile> files, IReadOnlyList<string> missing)
    {
        _files = files;
        Missing = missing;
        TotalBytes = files.Sum(f => f.Length);
    }

    /// <summary>Paths given that are neither a file nor a folder.</summary>
    public IReadOnlyList<string> Missing { get; }

    public int FileCount => _files.Count;

    /// <summary>Size of every input file: with <see cref="BytesRead"/>, how far a run has got.</summary>
    public long TotalBytes { get; }

    /// <summary>Bytes consumed so far (CSV files: the stream position, which runs a buffer ahead). Safe to read from any thread.</summary>
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    /// <summary>Resolves the paths now (so totals are known before reading); missing paths are listed in <see cref="Missing"/>.</summary>
    public static CableSource FromPaths(IEnumerable<string> paths)
    {
        var files = new List<InputFile>();
        var missing = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(new InputFile(path, KindOf(path) ?? InputKind.Telegram, new FileInfo(path).Length));
            }
            else if (Directory.Exists(path))
            {
                var found = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Select(file => (file, kind: KindOf(file)))
                    .Where(f => f.kind is not null)
                    .OrderBy(f => f.file, StringComparer.Ordinal);
                files.AddRange(found.Select(f => new InputFile(f.file, f.kind!.Value, new FileInfo(f.file).Length)));
            }
            else
            {
                missing.Add(path);
            }
        }

        return new CableSource(files, missing);
    }

    /// <summary>Reads the inputs lazily, one file open at a time. A file that cannot be read gives one failed item; reading goes on.</summary>
    public IEnumerable<SourceItem> Read()
    {
        foreach (var file in _files)
        {
            if (file.Kind == InputKind.CablesCsv)
            {
                foreach (var item in ReadCsv(file))
                {
                    yield return item;
                }

                continue;
            }

            SourceItem single;
            try
            {
                var text = File.ReadAllText(file.Path);
                var cable = file.Kind == InputKind.WikiLeaksHtml ? WikiLeaksHtml.Read(text) : new RawCable(text, SourceFormat.Telegram, null);
                single = !string.IsNullOrWhiteSpace(cable.Text) ? SourceItem.Read(file.Path, cable)
                    : file.Kind == InputKind.WikiLeaksHtml ? SourceItem.Failed(file.Path, "no cable text in the page (not a WikiLeaks cable page?)")
                    : SourceItem.Failed(file.Path, "empty file");
            }
            catch (Exception ex)
            {
                single = SourceItem.Failed(file.Path, ex.Message);
            }

            Interlocked.Add(ref _bytesRead, file.Length);
            yield return single;
        }
    }

    private IEnumerable<SourceItem> ReadCsv(InputFile file)
    {
        var start = BytesRead;
        FileStream? stream = null;
        string? openError = null;
        try
        {
            stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception ex)
        {
            openError = ex.Message;
        }

        if (stream is null)
        {
            Interlocked.Add(ref _bytesRead, file.Length);
            yield return SourceItem.Failed(file.Path, openError ?? "cannot open");
            yield break;
        }

        using (stream)
        using (var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16))
        using (var rows = CablesCsv.Read(reader).GetEnumerator())
        {
            // Malformed rows come back with their error (and keep their number), so numbering follows the file.
            var failed = false;
            while (!failed)
            {
                SourceItem item;
                try
                {
                    if (!rows.MoveNext())
                    {
                        break;
                    }

                    var row = rows.Current;
                    var source = $"{file.Path}#{row.RowNumber}";
                    item = row.Cable is { } cable ? SourceItem.Read(source, cable) : SourceItem.Failed(source, row.Error ?? "unreadable row");
                }
                catch (Exception ex)
                {
                    item = SourceItem.Failed(file.Path, $"reading stopped: {ex.Message}");
                    failed = true; // the reader itself failed (I/O): it cannot go on
                }

                Interlocked.Exchange(ref _bytesRead, start + stream.Position);
                yield return item;
            }
        }

        Interlocked.Exchange(ref _bytesRead, start + file.Length);
    }

    private static InputKind? KindOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".txt" => InputKind.Telegram,
        ".html" or ".htm" => InputKind.WikiLeaksHtml,
        ".csv" => InputKind.CablesCsv,
        _ => null,
    };

    private enum InputKind
    {
        Telegram,
        WikiLeaksHtml,
        CablesCsv,
    }

    private sealed record InputFile(string Path, InputKind Kind, long Length);
}
