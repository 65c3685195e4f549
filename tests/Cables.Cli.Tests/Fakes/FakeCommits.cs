using System.Collections.Concurrent;

namespace Cables.Cli.Tests.Fakes;

/// <summary>How both fakes answer an ingest item, as the service would: text holding the marker is rejected, a first commit is CREATED, a later one UNCHANGED.</summary>
internal static class FakeCommits
{
    public static V1.IngestCableResponse Answer(ConcurrentDictionary<string, int> commits, V1.IngestCableRequest request, string rejectMarker)
    {
        if (request.RawText.Contains(rejectMarker, StringComparison.Ordinal))
        {
            return new V1.IngestCableResponse
            {
                ClientItemId = request.ClientItemId,
                Outcome = V1.IngestOutcome.Rejected,
                Reason = "NO_REFERENCE_ID",
                Details = "no reference id in the text or the metadata",
            };
        }

        var count = commits.AddOrUpdate(request.ClientItemId, 1, (_, n) => n + 1);
        return new V1.IngestCableResponse
        {
            ClientItemId = request.ClientItemId,
            Outcome = count == 1 ? V1.IngestOutcome.Created : V1.IngestOutcome.Unchanged,
            ReferenceId = request.Metadata?.ReferenceId ?? "",
        };
    }
}
