namespace Cables.Cli.Tests.Fakes;

/// <summary>What an ingest session reported: the items answered, the rejections among them, the reconnect delays.</summary>
internal sealed class RecordingListener(Action<int>? onAcknowledged = null) : IIngestListener
{
    public List<string> Sources { get; } = [];

    public List<V1.IngestCableResponse> Rejections { get; } = [];

    public List<TimeSpan> Delays { get; } = [];

    public void Acknowledged(V1.IngestCableResponse response)
    {
        lock (Sources)
        {
            Sources.Add(response.ClientItemId);
            if (response.Outcome == V1.IngestOutcome.Rejected)
            {
                Rejections.Add(response);
            }

            onAcknowledged?.Invoke(Sources.Count);
        }
    }

    public void Reconnecting(Exception error, int attempt, TimeSpan delay) => Delays.Add(delay);
}
