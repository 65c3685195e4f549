using System.Text;
using Cables.Api.V1.Mapping;
using Cables.Parsing.Formats;
using Cables.Parsing.Model;
using Cables.Parsing;
using Cables.Storage;
using Microsoft.Extensions.Options;

namespace CableService.Ingest;

/// <summary>What became of one request before the store: a cable to store, or the reason it is rejected.</summary>
public readonly record struct IntakeResult(CableToStore? Cable, SourceFormat Format, string? Reason, string? Details)
{
    public static IntakeResult Reject(SourceFormat format, string reason, string details) => new(null, format, reason, details);
}

/// <summary>Validates a raw item, unwraps its source format and parses it. Pure CPU: safe to run in parallel.</summary>
public sealed class CableIntake(IOptions<IngestOptions> options, TimeProvider clock)
{
    // Bounds on what is stored, from what real cables hold with a wide margin: an origin is a post's label (under 60
    // characters), a tag a code or a name (under 40), a subject a line or two. Beyond them a value can only be damage
    // or an attack, and PostgreSQL's btree and GIN entries (about 2.7 kB) would refuse the whole batch.
    // A reference id is short (08BRUSSELS1390); the bound counts UTF-8 bytes where the parsed id is checked, which also
    // bounds its characters, so a longer value cannot name a stored cable.
    public const int MaxReferenceIdLength = 64;
    public const int MaxOriginLength = 200;
    public const int MaxTagLength = 64;
    public const int MaxTags = 100;
    public const int MaxSubjectLength = 2000;
    public const int MaxReferences = 500;
    public const int MaxClassificationLength = 200;

    /// <summary>A file name, a release and a URL fit in far less; a longer source is a mistake, not provenance.</summary>
    public const int MaxSourceLength = 1000;

    /// <summary>The earliest created time accepted: the archive's cables start in 1966; 1900 leaves room for older ones.</summary>
    public static readonly DateTime EarliestCreated = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly int _maxCableBytes = options.Value.MaxCableBytes;
    private readonly TimeSpan _parseBudget = options.Value.ParseBudget;

    /// <summary>
    /// Validates, unwraps and parses one item under the parse budget. Throws <see cref="OperationCanceledException"/>
    /// when <paramref name="cancellationToken"/> is cancelled mid-parse: the call is gone, so is its work.
    /// </summary>
    public IntakeResult Prepare(Api.IngestCableRequest request, CancellationToken cancellationToken = default)
    {
        var text = request.RawText;
        if (!Enum.IsDefined(request.Format))
        {
            return IntakeResult.Reject(SourceFormat.Unknown, "INVALID_FORMAT", $"format {(int)request.Format} is not a known source format");
        }

        var format = CableMessages.ToModel(request.Format);
        if (string.IsNullOrWhiteSpace(text))
        {
            return IntakeResult.Reject(format, "EMPTY_TEXT", "raw_text is empty");
        }

        // Cheap bound first: UTF-8 needs at least one byte a char and at most three a UTF-16 unit.
        if (text.Length > _maxCableBytes || (text.Length * 3L > _maxCableBytes && Encoding.UTF8.GetByteCount(text) > _maxCableBytes))
        {
            return IntakeResult.Reject(format, "CABLE_TOO_LARGE", $"raw_text is {Encoding.UTF8.GetByteCount(text)} bytes; the limit is {_maxCableBytes}");
        }

        if (StoredText.HasNul(text))
        {
            return IntakeResult.Reject(format, "INVALID_TEXT", "raw_text contains a NUL character");
        }

        if (request.Metadata is { } metadata && MetadataProblem(metadata) is { } problem)
        {
            return IntakeResult.Reject(format, "INVALID_METADATA", problem);
        }

        SourceMetadata? callerMetadata;
        try
        {
            callerMetadata = CableMessages.ToModel(request.Metadata);
        }
        catch (InvalidOperationException e)
        {
            return IntakeResult.Reject(format, "INVALID_METADATA", e.Message);
        }

        if (callerMetadata?.Created is { } stated && !InRange(stated))
        {
            return IntakeResult.Reject(format, "INVALID_METADATA", $"metadata.created {stated:O} is outside {RangeText}");
        }

        if (format == SourceFormat.Unknown)
        {
            format = SourceFormatDetector.Detect(text);
        }

        ParsedCable cable;
        RawCable raw;
        try
        {
            // The page or row reader runs under the budget too: it reads the same untrusted text.
            using var budget = new ParseBudget(_parseBudget, clock, cancellationToken).Enter();
            raw = Unwrap(text, format, callerMetadata);
            if (string.IsNullOrWhiteSpace(raw.Text))
            {
                return IntakeResult.Reject(format, "UNREADABLE_FORMAT", $"no telegram text found in the {format}");
            }

            cable = CableParser.Parse(raw);
        }
        catch (ParseBudgetExceededException e)
        {
            return IntakeResult.Reject(format, "PARSE_BUDGET_EXCEEDED", $"{e.Message}; the item is not stored");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The adapters throw on input they cannot read; the parser itself never throws by contract.
            return IntakeResult.Reject(format, "UNREADABLE_FORMAT", $"not a readable {format}: {e.Message}");
        }

        if (string.IsNullOrEmpty(cable.ReferenceId))
        {
            return IntakeResult.Reject(format, "NO_REFERENCE_ID", "no reference id in the text (DE line, section line) or the metadata");
        }

        // Reference ids are short (08BRUSSELS1390); a huge one can only come from metadata, and would not fit a resume token.
        if (Encoding.UTF8.GetByteCount(cable.ReferenceId) > MaxReferenceIdLength)
        {
            return IntakeResult.Reject(format, "INVALID_METADATA", $"reference id longer than {MaxReferenceIdLength} bytes");
        }

        if (cable.Created is null)
        {
            return IntakeResult.Reject(format, "NO_DATE", "no readable date-time group in the text and no created time in the metadata");
        }

        if (!InRange(cable.Created.Value))
        {
            return IntakeResult.Reject(format, "NO_DATE", $"the date-time group gives {cable.Created.Value:O}, outside {RangeText}");
        }

        if (ParsedProblem(cable) is { } parsedProblem)
        {
            return IntakeResult.Reject(format, "INVALID_TEXT", parsedProblem);
        }

        // Store the telegram, not its wrapping: a WikiLeaks page, a cables.csv row and the bare telegram of the
        // same cable then hash alike and re-ingesting another rendering answers UNCHANGED, not REVISED.
        var source = request.Metadata?.Source is { Length: > 0 } given ? given : null;
        return new(new CableToStore(cable, raw.Text, format, source), format, null, null);
    }

    private string RangeText => $"{EarliestCreated:yyyy-MM-dd} to {LatestCreated:yyyy-MM-dd}";

    /// <summary>The latest created time accepted: a year ahead of now, for clocks that are off, never the year 9999.</summary>
    private DateTime LatestCreated => clock.GetUtcNow().UtcDateTime.AddYears(1);

    private bool InRange(DateTime created)
    {
        var utc = created.Kind == DateTimeKind.Local ? created.ToUniversalTime() : DateTime.SpecifyKind(created, DateTimeKind.Utc);
        return utc >= EarliestCreated && utc <= LatestCreated;
    }

    /// <summary>Why the caller's metadata cannot be stored, naming the field; null when it can.</summary>
    private static string? MetadataProblem(Api.SourceMetadata metadata) =>
        FirstProblem(
            ("metadata.reference_id", metadata.ReferenceId, MaxReferenceIdLength),
            ("metadata.origin", metadata.Origin, MaxOriginLength),
            ("metadata.classification", metadata.Classification, MaxClassificationLength),
            ("metadata.source", metadata.Source, MaxSourceLength))
        ?? TooMany("metadata.references", metadata.References.Count, "entries", MaxReferences)
        ?? FirstProblem(metadata.References.Select((reference, i) => ($"metadata.references[{i}]", (string?)reference, MaxReferenceIdLength)));

    /// <summary>Why a parsed field cannot be stored, naming it; null when every field is within its bound.</summary>
    private static string? ParsedProblem(ParsedCable cable) =>
        FirstProblem(("origin", cable.Origin, MaxOriginLength), ("subject", cable.Subject, MaxSubjectLength))
        ?? TooMany("TAGS", cable.Tags.Count, "tags", MaxTags)
        ?? FirstProblem(cable.Tags.Select(tag => ("tag", (string?)tag.Value, MaxTagLength)))
        ?? FirstProblem(cable.References.Select(reference => ("cited reference id", reference.Id, MaxReferenceIdLength)))
        ?? FirstProblem(("body", cable.Body, int.MaxValue));

    /// <summary>The first of <paramref name="fields"/> that has NUL or is too long: its name, then what is wrong; null when none is.</summary>
    private static string? FirstProblem(params IEnumerable<(string Name, string? Value, int Max)> fields)
    {
        foreach (var (name, value, max) in fields)
        {
            if (Too(value, max) is { } problem)
            {
                return $"{name} {problem}";
            }
        }

        return null;
    }

    private static string? TooMany(string name, int count, string what, int max) =>
        count > max ? $"{name} has {count} {what}; at most {max}" : null;

    /// <summary>What is wrong with a value that has NUL or is longer than <paramref name="max"/> (UTF-16 units), or null.</summary>
    private static string? Too(string? value, int max) =>
        value is null ? null
        : StoredText.HasNul(value) ? "contains NUL (U+0000)"
        : value.Length > max ? $"is {value.Length} characters long; at most {max}"
        : null;

    private static RawCable Unwrap(string text, SourceFormat format, SourceMetadata? callerMetadata)
    {
        var raw = format switch
        {
            SourceFormat.WikiLeaksHtml => WikiLeaksHtml.Read(text),
            SourceFormat.CablesCsv => SingleRow(text),
            _ => new RawCable(text, SourceFormat.Telegram, null),
        };
        return raw with { Metadata = Merge(raw.Metadata, callerMetadata) };
    }

    private static RawCable SingleRow(string text)
    {
        using var reader = new StringReader(text);
        using var rows = CablesCsv.ReadRows(reader).GetEnumerator();
        if (!rows.MoveNext())
        {
            throw new InvalidDataException("no cables.csv row");
        }

        var row = rows.Current;
        return rows.MoveNext() ? throw new InvalidDataException("more than one cables.csv row in one item") : row;
    }

    /// <summary>What the caller states wins over what the page or row states; the rest is kept.</summary>
    private static SourceMetadata? Merge(SourceMetadata? source, SourceMetadata? caller)
    {
        if (source is null || caller is null)
        {
            return caller ?? source;
        }

        return new SourceMetadata
        {
            ReferenceId = caller.ReferenceId ?? source.ReferenceId,
            Created = caller.Created ?? source.Created,
            Classification = caller.Classification ?? source.Classification,
            Origin = caller.Origin ?? source.Origin,
            References = caller.References.Count > 0 ? caller.References : source.References,
            PartialExtract = caller.PartialExtract ?? source.PartialExtract,
        };
    }
}
