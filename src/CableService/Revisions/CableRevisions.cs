using CableService.Errors;
using CableService.Mapping;
using CableService.Paging;
using Cables.Api.V1.Mapping;
using Cables.Parsing.Fields;
using Cables.Storage;

namespace CableService.Revisions;

/// <summary>
/// The version history of cables as the API serves it: lists the versions of one cable, reads one, and compares two.
/// Validates each request, then reads through the store it is given (the caller routes reads), so the RPCs only delegate.
/// </summary>
public sealed class CableRevisions(ResumeTokenKey tokenKey)
{
    public const int DefaultPageSize = 10;
    public const int MaxPageSize = 50;
    public const int DefaultContextLines = 3;
    public const int MaxContextLines = 1000;

    public async Task<Api.ListCableRevisionsResponse> ListAsync(CableStore store, Api.ListCableRevisionsRequest request, CableVisibility visibility, CancellationToken ct)
    {
        var violations = new List<Google.Rpc.BadRequest.Types.FieldViolation>();
        var referenceId = ReferenceId(request.ReferenceId, violations);
        var pageSize = request.PageSize == 0 ? DefaultPageSize : request.PageSize;
        if (pageSize is < 1 or > MaxPageSize)
        {
            violations.Add(RpcErrors.Violation("page_size", $"must be between 1 and {MaxPageSize} (0 means {DefaultPageSize})"));
        }

        if (!Enum.IsDefined(request.View))
        {
            violations.Add(RpcErrors.Violation("view", $"unknown view {(int)request.View}"));
        }

        int? before = null;
        if (request.PageToken.Length > 0)
        {
            if (RevisionPageToken.TryDecode(request.PageToken, tokenKey.Key, out var token) && token.ReferenceId == referenceId)
            {
                before = token.Before;
            }
            else
            {
                violations.Add(RpcErrors.Violation("page_token", "not a page token of this cable's revisions"));
            }
        }

        ThrowIfAny(violations);
        var texts = request.View == Api.CableView.Full ? CableTexts.All : CableTexts.None;
        // One more than a page: whether a next page exists comes with this one.
        var versions = await store.GetRevisionsAsync(referenceId, before, pageSize + 1, texts, visibility, ct);
        if (versions.Count == 0 && before is null)
        {
            throw RpcErrors.NotFound(referenceId);
        }

        var response = new Api.ListCableRevisionsResponse();
        response.Revisions.AddRange(versions.Take(pageSize).Select(ToApi));
        if (versions.Count > pageSize)
        {
            response.NextPageToken = new RevisionPageToken(referenceId, versions[pageSize - 1].Revision).Encode(tokenKey.Key);
        }

        return response;
    }

    /// <summary>Version <paramref name="revision"/> of a cable, for <c>GetCable</c>; <paramref name="referenceId"/> is canonical.</summary>
    public static async Task<Api.Cable> GetCableAsync(CableStore store, string referenceId, int revision, CableTexts texts, CableVisibility visibility, CancellationToken ct)
    {
        if (revision < 1)
        {
            throw RpcErrors.InvalidArgument("revision", $"must be 1 or more (1 is the first text ingested), not {revision}");
        }

        var version = await store.GetRevisionAsync(referenceId, revision, texts, visibility, ct)
            ?? throw await NotFoundAsync(store, referenceId, revision, visibility, ct);
        return version.Cable;
    }

    public static async Task<Api.DiffCableRevisionsResponse> DiffAsync(CableStore store, Api.DiffCableRevisionsRequest request, CableVisibility visibility, CancellationToken ct)
    {
        var violations = new List<Google.Rpc.BadRequest.Types.FieldViolation>();
        var referenceId = ReferenceId(request.ReferenceId, violations);
        if (request.HasFromRevision && request.FromRevision < 1)
        {
            violations.Add(RpcErrors.Violation("from_revision", $"must be 1 or more, not {request.FromRevision}"));
        }

        if (request.HasToRevision && request.ToRevision < 1)
        {
            violations.Add(RpcErrors.Violation("to_revision", $"must be 1 or more, not {request.ToRevision}"));
        }

        if (request.HasFromRevision && request.HasToRevision && request.FromRevision > request.ToRevision)
        {
            violations.Add(RpcErrors.Violation("from_revision", $"must not be after to_revision ({request.FromRevision} > {request.ToRevision})"));
        }

        var context = request.HasContextLines ? request.ContextLines : DefaultContextLines;
        if (context is < 0 or > MaxContextLines)
        {
            violations.Add(RpcErrors.Violation("context_lines", $"must be between 0 and {MaxContextLines}"));
        }

        ThrowIfAny(violations);
        var latest = await store.GetLatestRevisionAsync(referenceId, visibility, ct) ?? throw RpcErrors.NotFound(referenceId);
        var to = request.HasToRevision ? request.ToRevision : latest;
        var from = request.HasFromRevision ? request.FromRevision : Math.Max(1, to - 1);
        if (from > to)
        {
            // Only when to_revision was left to default: the current version is older than the from_revision asked for.
            throw RpcErrors.RevisionNotFound(referenceId, from, latest);
        }

        // The newer one first: a missing to_revision is the error to report, not the from_revision derived from it.
        var newer = await store.GetRevisionAsync(referenceId, to, CableTexts.All, visibility, ct) ?? throw await NotFoundAsync(store, referenceId, to, visibility, ct);
        var older = await store.GetRevisionAsync(referenceId, from, CableTexts.All, visibility, ct) ?? throw await NotFoundAsync(store, referenceId, from, visibility, ct);
        var response = new Api.DiffCableRevisionsResponse { ReferenceId = referenceId, FromRevision = from, ToRevision = to };
        response.Hunks.AddRange(TextDiff.Hunks(older.Cable.RawText, newer.Cable.RawText, context));
        response.ChangedFields.AddRange(ChangedFields.Between(older.Cable, newer.Cable));
        return response;
    }

    public static Api.CableRevision ToApi(CableVersion version) => new()
    {
        Revision = version.Revision,
        Current = version.IsCurrent,
        ContentSha256 = version.Cable.ContentSha256,
        Ingested = CableMessages.ToTimestamp(version.IngestedAt),
        Replaced = CableMessages.ToTimestamp(version.ReplacedAt),
        Format = CableMessages.ToApi(version.Format),
        Source = version.Source ?? "",
        Cable = version.Cable,
    };

    /// <summary>The canonical id, or a violation when the value cannot be a reference id.</summary>
    private static string ReferenceId(string value, List<Google.Rpc.BadRequest.Types.FieldViolation> violations)
    {
        var id = value.Trim();
        if (!QueryMapper.IsReferenceId(id))
        {
            violations.Add(RpcErrors.Violation("reference_id", QueryMapper.ReferenceIdRule));
            return id;
        }

        return ReferenceIds.Canonicalize(id);
    }

    /// <summary>
    /// NOT_FOUND for the cable when the caller knows of none, else for the revision it does not have (or may not read:
    /// a version above clearance is answered exactly as a missing one).
    /// </summary>
    private static async Task<global::Grpc.Core.RpcException> NotFoundAsync(CableStore store, string referenceId, int revision, CableVisibility visibility, CancellationToken ct) =>
        await store.GetLatestRevisionAsync(referenceId, visibility, ct) is { } latest
            ? RpcErrors.RevisionNotFound(referenceId, revision, latest)
            : RpcErrors.NotFound(referenceId);

    private static void ThrowIfAny(List<Google.Rpc.BadRequest.Types.FieldViolation> violations)
    {
        if (violations.Count > 0)
        {
            throw RpcErrors.InvalidArgument(violations);
        }
    }
}
