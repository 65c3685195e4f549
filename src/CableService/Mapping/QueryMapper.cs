using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Text;
using CableService.Errors;
using CableService.Ingest;
using CableService.Paging;
using Cables.Api.V1.Mapping;
using Cables.Parsing.Fields;
using Cables.Parsing.Origins;
using Cables.Storage;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Model = Cables.Parsing.Model;

namespace CableService.Mapping;

/// <summary>A validated query: what the store runs and the fingerprint its resume tokens carry.</summary>
public sealed record ValidatedQuery(CableQuery Query, UInt128 Fingerprint);

/// <summary>
/// Request filter, order, view and token to a <see cref="CableQuery"/>; every problem becomes a BadRequest
/// field violation, all of them reported together.
/// </summary>
public static partial class QueryMapper
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;
    private const int MaxTextLength = 1000;
    private const int MaxListLength = 100;

    public static ValidatedQuery FromStream(Api.StreamCablesRequest request, ReadOnlySpan<byte> tokenKey)
    {
        var violations = new List<BadRequest.Types.FieldViolation>();
        if (request.Limit < 0)
        {
            violations.Add(RpcErrors.Violation("limit", "must be 0 (no limit) or positive"));
        }

        return Build(request.Filter, request.Order, request.View, request.ReadMask, request.ResumeToken, "resume_token",
            request.Limit > 0 ? request.Limit : null, violations, tokenKey);
    }

    public static ValidatedQuery FromList(Api.ListCablesRequest request, ReadOnlySpan<byte> tokenKey, out int pageSize)
    {
        var violations = new List<BadRequest.Types.FieldViolation>();
        pageSize = request.PageSize == 0 ? DefaultPageSize : request.PageSize;
        if (pageSize is < 1 or > MaxPageSize)
        {
            violations.Add(RpcErrors.Violation("page_size", $"must be between 1 and {MaxPageSize} (0 means {DefaultPageSize})"));
        }

        // One more than the page tells whether a next page exists.
        return Build(request.Filter, request.Order, request.View, request.ReadMask, request.PageToken, "page_token", pageSize + 1, violations, tokenKey);
    }

    /// <summary>
    /// The filter and texts of a WatchCables request. A text filter is refused: a cable's vector is computed after its
    /// commit, so a change cannot be matched on it when it is delivered.
    /// </summary>
    public static CableQuery FromWatch(Api.WatchCablesRequest request)
    {
        var violations = new List<BadRequest.Types.FieldViolation>();
        var query = Filter(request.Filter, violations);
        if (query.Text is not null)
        {
            violations.Add(RpcErrors.Violation("filter.text", "WatchCables matches changes as they commit, before their text is indexed: watch without text, or query with StreamCables"));
        }

        if (!System.Enum.IsDefined(request.View))
        {
            violations.Add(RpcErrors.Violation("view", $"unknown view {(int)request.View}"));
        }

        query = query with { Texts = ReadMasks.TextsFor(request.View, request.ReadMask, violations) };
        ThrowIfAny(violations);
        return query;
    }

    public static CableQuery FromCount(Api.CountCablesRequest request)
    {
        var violations = new List<BadRequest.Types.FieldViolation>();
        var query = Filter(request.Filter, violations);
        ThrowIfAny(violations);
        return query;
    }

    private static ValidatedQuery Build(
        Api.CableFilter? filter, Api.SortOrder order, Api.CableView view, FieldMask? readMask, string token, string tokenField,
        int? limit, List<BadRequest.Types.FieldViolation> violations, ReadOnlySpan<byte> tokenKey)
    {
        var query = Filter(filter, violations);
        if (!System.Enum.IsDefined(order))
        {
            violations.Add(RpcErrors.Violation("order", $"unknown sort order {(int)order}"));
        }

        if (!System.Enum.IsDefined(view))
        {
            violations.Add(RpcErrors.Violation("view", $"unknown view {(int)view}"));
        }

        query = query with
        {
            Descending = order == Api.SortOrder.CreatedDesc,
            Texts = ReadMasks.TextsFor(view, readMask, violations),
            Limit = limit,
        };
        var fingerprint = Fingerprint(query);
        if (token.Length > 0)
        {
            if (!ResumeToken.TryDecode(token, tokenKey, out var resume))
            {
                violations.Add(RpcErrors.Violation(tokenField, "not a token this service issued (altered, truncated or signed with another key)"));
            }
            else if (resume.Fingerprint != fingerprint)
            {
                violations.Add(RpcErrors.Violation(tokenField, "token belongs to another filter or order; resend it with the request that returned it"));
            }
            else
            {
                query = query with { After = resume.Cursor };
            }
        }

        ThrowIfAny(violations);
        return new(query, fingerprint);
    }

    private static CableQuery Filter(Api.CableFilter? filter, List<BadRequest.Types.FieldViolation> violations)
    {
        if (filter is null)
        {
            return new CableQuery();
        }

        var from = Time(filter.CreatedFrom, "filter.created_from", violations);
        var to = Time(filter.CreatedTo, "filter.created_to", violations);
        if (from is not null && to is not null && from >= to)
        {
            violations.Add(RpcErrors.Violation("filter.created_from", "must be before filter.created_to (the range is [from, to))"));
        }

        Model.ClassificationLevel? ceiling = null;
        if (filter.MaxClassification != Api.ClassificationLevel.Unspecified)
        {
            if (System.Enum.IsDefined(filter.MaxClassification))
            {
                ceiling = CableMessages.ToModel(filter.MaxClassification);
            }
            else
            {
                violations.Add(RpcErrors.Violation("filter.max_classification", $"unknown classification level {(int)filter.MaxClassification}"));
            }
        }

        var text = filter.Text.Trim();
        if (text.Length > MaxTextLength)
        {
            violations.Add(RpcErrors.Violation("filter.text", $"at most {MaxTextLength} characters"));
        }

        if (StoredText.HasNul(text))
        {
            violations.Add(RpcErrors.Violation("filter.text", NulDescription));
        }

        var cites = filter.Cites.Trim();
        if (StoredText.HasNul(cites) || cites.Length > CableIntake.MaxReferenceIdLength)
        {
            violations.Add(RpcErrors.Violation("filter.cites", $"must be a reference id (at most {CableIntake.MaxReferenceIdLength} characters, no NUL)"));
            cites = "";
        }

        return new CableQuery
        {
            AllTags = Tags(filter.AllTags, "filter.all_tags", violations),
            AnyTags = Tags(filter.AnyTags, "filter.any_tags", violations),
            Origins = Origins(filter.Origins, violations),
            CreatedFrom = from,
            CreatedTo = to,
            MaxClassification = ceiling,
            Text = text.Length == 0 ? null : text,
            Cites = cites.Length == 0 ? null : ReferenceIds.Canonicalize(cites),
        };
    }

    private static string[] Tags(RepeatedField<string> tags, string field, List<BadRequest.Types.FieldViolation> violations)
    {
        if (tags.Count > MaxListLength)
        {
            violations.Add(RpcErrors.Violation(field, $"at most {MaxListLength} tags"));
            return [];
        }

        var normalised = new SortedSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tags.Count; i++)
        {
            var tag = tags[i].Trim().ToUpperInvariant();
            if (TagSyntax().IsMatch(tag))
            {
                normalised.Add(tag);
            }
            else
            {
                violations.Add(RpcErrors.Violation($"{field}[{i}]", $"'{tags[i]}' is not a tag (letters, digits, space and , . ' ( ) / & - _; at most {CableIntake.MaxTagLength} characters)"));
            }
        }

        return [.. normalised];
    }

    private static string[] Origins(RepeatedField<string> origins, List<BadRequest.Types.FieldViolation> violations)
    {
        if (origins.Count > MaxListLength)
        {
            violations.Add(RpcErrors.Violation("filter.origins", $"at most {MaxListLength} origins"));
            return [];
        }

        var normalised = new SortedSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < origins.Count; i++)
        {
            var origin = origins[i].Trim();
            if (origin.Length is 0 or > 200 || StoredText.HasNul(origin))
            {
                violations.Add(RpcErrors.Violation($"filter.origins[{i}]", "must be a post's archive label, e.g. 'Embassy Brussels'"));
            }
            else
            {
                // Stored labels are the archive's spelling: a label in another case finds them too.
                normalised.Add(origin);
                normalised.Add(OriginPosts.ArchiveLabel(origin));
            }
        }

        return [.. normalised];
    }

    public const string NulDescription = "must not contain NUL (U+0000)";

    /// <summary>What <see cref="IsReferenceId"/> asks of a requested reference id, as a violation's description.</summary>
    public static readonly string ReferenceIdRule = $"must be a reference id (1 to {CableIntake.MaxReferenceIdLength} characters, no NUL)";

    /// <summary>Whether a requested id can name a stored cable at all.</summary>
    public static bool IsReferenceId(string id) => id.Length is > 0 and <= CableIntake.MaxReferenceIdLength && !StoredText.HasNul(id);

    private static DateTime? Time(Timestamp? timestamp, string field, List<BadRequest.Types.FieldViolation> violations)
    {
        if (timestamp is null)
        {
            return null;
        }

        try
        {
            return timestamp.ToDateTime();
        }
        catch (InvalidOperationException)
        {
            violations.Add(RpcErrors.Violation(field, "not a valid timestamp"));
            return null;
        }
    }

    /// <summary>Hash of the normalised filter and order: a token only resumes the query it came from.</summary>
    private static UInt128 Fingerprint(CableQuery query)
    {
        var canonical = new StringBuilder()
            .AppendJoin('\u001f', query.AllTags).Append('\u001e')
            .AppendJoin('\u001f', query.AnyTags).Append('\u001e')
            .AppendJoin('\u001f', query.Origins).Append('\u001e')
            .Append(query.CreatedFrom?.Ticks).Append('\u001e')
            .Append(query.CreatedTo?.Ticks).Append('\u001e')
            .Append((int?)query.MaxClassification).Append('\u001e')
            .Append(query.Text).Append('\u001e')
            .Append(query.Cites).Append('\u001e')
            .Append(query.Descending ? 'D' : 'A')
            .ToString();
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(canonical), hash);
        return BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }

    private static void ThrowIfAny(List<BadRequest.Types.FieldViolation> violations)
    {
        if (violations.Count > 0)
        {
            throw RpcErrors.InvalidArgument(violations);
        }
    }

    // A first character and up to 63 more: CableIntake.MaxTagLength in all.
    [GeneratedRegex(@"^[A-Z0-9][A-Z0-9 ,.'()/&_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex TagSyntax();
}
