namespace CableService.Tests.Functional;

public static class Ingestion
{
    public static T Also<T>(this T value, Action<T> change)
    {
        change(value);
        return value;
    }

    public static Api.IngestCableRequest Telegram(string path, string? clientItemId = null) =>
        new() { ClientItemId = clientItemId ?? Path.GetFileNameWithoutExtension(path), RawText = File.ReadAllText(path) };

    /// <summary>A corpus telegram with its reference id and created time stated, as a client that knows them sends it.</summary>
    public static Api.IngestCableRequest Identified(TruthCable truth) =>
        Telegram(truth.Path, truth.ReferenceId).Also(r => r.Metadata = new Api.SourceMetadata
        {
            ReferenceId = truth.ReferenceId,
            Created = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.SpecifyKind(truth.Created, DateTimeKind.Utc)),
        });

    /// <summary>
    /// Sends every request on one IngestCables call without waiting for answers (all of them in flight at once)
    /// while reading the responses; returns them by client item id.
    /// </summary>
    public static async Task<Dictionary<string, Api.IngestCableResponse>> IngestAllAsync(
        this Api.CableArchive.CableArchiveClient client, IEnumerable<Api.IngestCableRequest> requests, CancellationToken cancellationToken = default)
    {
        using var call = client.IngestCables(cancellationToken: cancellationToken);
        var writing = Task.Run(async () =>
        {
            foreach (var request in requests)
            {
                await call.RequestStream.WriteAsync(request, cancellationToken);
            }

            await call.RequestStream.CompleteAsync();
        }, cancellationToken);

        var responses = new Dictionary<string, Api.IngestCableResponse>();
        await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            Assert.True(responses.TryAdd(response.ClientItemId, response), $"second response for {response.ClientItemId}");
        }

        await writing;
        return responses;
    }

    public static async Task<List<Api.StreamCablesResponse>> StreamAllAsync(this Api.CableArchive.CableArchiveClient client, Api.StreamCablesRequest request)
    {
        using var call = client.StreamCables(request);
        var all = new List<Api.StreamCablesResponse>();
        await foreach (var response in call.ResponseStream.ReadAllAsync())
        {
            all.Add(response);
        }

        return all;
    }
}
