using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Cables.Cli.Ingestion;

/// <summary>
/// Rejected items, one JSON object a line: <c>{"source", "reason", "details"}</c>, each source once. Created afresh
/// for a new run; appended to when resuming, so the file keeps the rejections of the runs it continues. Each record
/// goes to the OS in one write before the item is recorded in the resume state, so a killed process loses no
/// rejection the state file skips; a torn last line is cut on open, and a source already in the file is not written
/// again (the state file may not have recorded it before the kill, so the resumed run is answered again).
/// </summary>
public sealed class RejectsFile : IDisposable
{
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly FileStream _file;
    private readonly HashSet<string> _sources;
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _json;

    private RejectsFile(FileStream file, HashSet<string> sources)
    {
        _file = file;
        _sources = sources;
        _json = new Utf8JsonWriter(_buffer, s_options);
    }

    public string Path => _file.Name;

    /// <summary>Records written by this run.</summary>
    public long Count { get; private set; }

    public static RejectsFile Open(string path, bool append)
    {
        var sources = new HashSet<string>(StringComparer.Ordinal);
        var file = append
            ? LineFile.OpenForAppend(path, line =>
            {
                if (SourceOf(line) is { } source)
                {
                    sources.Add(source);
                }
            })
            : new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0); // every record one system call
        return new RejectsFile(file, sources);
    }

    /// <summary>Writes the rejection unless its source is in the file already; returns whether it was written.</summary>
    public bool Write(V1.IngestCableResponse rejection)
    {
        if (!_sources.Add(rejection.ClientItemId))
        {
            return false;
        }

        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
        _json.WriteString("source", rejection.ClientItemId);
        _json.WriteString("reason", rejection.Reason);
        _json.WriteString("details", rejection.Details);
        if (rejection.ReferenceId.Length > 0)
        {
            _json.WriteString("referenceId", rejection.ReferenceId);
        }

        _json.WriteEndObject();
        _json.Flush();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        _file.Write(_buffer.WrittenSpan);
        Count++;
        return true;
    }

    private static string? SourceOf(string line)
    {
        try
        {
            using var record = JsonDocument.Parse(line);
            return record.RootElement.TryGetProperty("source", out var source) && source.ValueKind == JsonValueKind.String ? source.GetString() : null;
        }
        catch (JsonException)
        {
            return null; // a line some other writer garbled: kept, not matched
        }
    }

    public void Dispose()
    {
        _json.Dispose();
        _file.Flush(flushToDisk: true);
        _file.Dispose();
    }
}
