using Cables.Api.V1;
using Cables.Api.V1.Mapping;

namespace Cables.Storage;

/// <summary>A stored cable as the API serves it: the parsed cable (<see cref="CableMessages"/>) plus what the store knows.</summary>
public static class StoredCableMessages
{
    public static Cable ToApi(StoredCable stored, bool full)
    {
        var message = CableMessages.ToApi(stored.Cable, full);
        message.ContentSha256 = stored.ContentSha256Hex;
        message.Ingested = CableMessages.ToTimestamp(stored.IngestedAt);
        message.Revised = CableMessages.ToTimestamp(stored.RevisedAt);
        message.RevisionCount = stored.RevisionCount;
        if (full)
        {
            message.RawText = stored.RawText ?? "";
        }

        return message;
    }
}
