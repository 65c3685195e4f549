using Google.Protobuf.WellKnownTypes;

namespace CableService.Tests;

public static class TestCables
{
    /// <summary>The first corpus cables as telegrams, with the reference id and created time their source states.</summary>
    public static IReadOnlyList<Api.IngestCableRequest> Requests(int count) =>
    [
        .. Corpus.Truth.Take(count).Select(c => Ingestion.Telegram(c.Path).Also(r => r.Metadata = new Api.SourceMetadata
        {
            ReferenceId = c.ReferenceId,
            Created = Timestamp.FromDateTime(c.Created),
        })),
    ];
}
