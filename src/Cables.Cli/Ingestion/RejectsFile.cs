using System.Text.Encodings.Web;
using System.Text.Json;
using V1 = Cables.Api.V1;

namespace Cables.Cli.Ingestion;

/// <summary>
/// Rejected items, one JSON object a line: <c>{"source", "reason", "details"}</c>. Created afresh for a new
/// run; appended to when resuming, so the file keeps the rejections of the runs it continues.
/// </summary>
public sealed class RejectsFile : IDisposable
{
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly FileStream _file;
    private readonly Utf8JsonWriter _json;

    private RejectsFile(FileStream file)
    {
        _file = file;
        _json = new Utf8JsonWriter(file, s_options);
    }

    public string Path => _file.Name;

    public long Count { get; private set; }

    public static RejectsFile Open(string path, bool append) =>
        new(new FileStream(path, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 14));

    public void Write(V1.IngestCableResponse rejection)
    {
        _json.Reset(_file);
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
        _file.WriteByte((byte)'\n');
        Count++;
    }

    public void Dispose()
    {
        _json.Dispose();
        _file.Flush(flushToDisk: true);
        _file.Dispose();
    }
}
