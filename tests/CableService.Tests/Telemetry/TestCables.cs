using System.Globalization;
using System.Text.Json;
using Cables.Api.V1;
using Cables.Testing;
using Google.Protobuf.WellKnownTypes;

namespace CableService.Tests;

/// <summary>Ingest requests for the first cables of the shared corpus, with the metadata its truth file states.</summary>
public static class TestCables
{
    public static IReadOnlyList<IngestCableRequest> Requests(int count) =>
        [.. File.ReadLines(SharedFolder.Path("corpus", "truth.jsonl")).Take(count).Select(ToRequest)];

    private static IngestCableRequest ToRequest(string line)
    {
        using var entry = JsonDocument.Parse(line);
        var root = entry.RootElement;
        var truth = root.GetProperty("truth");
        var id = truth.GetProperty("reference_id").GetString()!;
        var created = DateTime.ParseExact(
            truth.GetProperty("created").GetString()!, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        return new IngestCableRequest
        {
            ClientItemId = id,
            RawText = File.ReadAllText(SharedFolder.Path("corpus", root.GetProperty("file").GetString()!)),
            Format = SourceFormat.Telegram,
            Metadata = new SourceMetadata { ReferenceId = id, Created = Timestamp.FromDateTime(created) },
        };
    }
}
