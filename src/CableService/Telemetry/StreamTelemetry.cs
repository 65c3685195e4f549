using System.Diagnostics;

namespace CableService.Telemetry;

/// <summary>
/// Telemetry of one StreamCables call: counts it as active while it lives, counts every cable sent, and groups the
/// cables into <see cref="CableTelemetry.Spans.StreamChunk"/> spans of up to <see cref="ChunkSize"/> so that a stream
/// of a hundred thousand rows gives a readable trace rather than one span per row or none at all.
/// </summary>
public sealed class StreamTelemetry : IDisposable
{
    public const int ChunkSize = 500;

    private Activity? _chunk;
    private int _inChunk;

    public StreamTelemetry() => CableTelemetry.ActiveStreams.Add(1);

    /// <summary>Call once a cable has been written to the response stream.</summary>
    public void Sent()
    {
        CableTelemetry.Streamed.Add(1);
        _chunk ??= CableTelemetry.Source.StartActivity(CableTelemetry.Spans.StreamChunk);
        if (++_inChunk == ChunkSize)
        {
            EndChunk();
        }
    }

    public void Dispose()
    {
        EndChunk();
        CableTelemetry.ActiveStreams.Add(-1);
    }

    private void EndChunk()
    {
        if (_chunk is not null)
        {
            _chunk.SetTag("cables.count", _inChunk);
            _chunk.Dispose();
            _chunk = null;
        }

        _inChunk = 0;
    }
}
