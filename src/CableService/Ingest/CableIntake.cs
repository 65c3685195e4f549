using System.Text;
using CableService.Mapping;
using Cables.Parsing;
using Cables.Parsing.Formats;
using Cables.Parsing.Model;
using Cables.Storage;
using Microsoft.Extensions.Options;
using Api = Cables.Api.V1;

namespace CableService.Ingest;

/// <summary>What became of one request before the store: a cable to store, or the reason it is rejected.</summary>
public readonly record struct IntakeResult(CableToStore? Cable, SourceFormat Format, string? Reason, string? Details)
{
    public static IntakeResult Reject(SourceFormat format, string reason, string details) => new(null, format, reason, details);
}

/// <summary>Validates a raw item, unwraps its source format and parses it. Pure CPU: safe to run in parallel.</summary>
public sealed class CableIntake(IOptions<IngestOptions> options)
{
    public const int MaxReferenceIdBytes = 64;

    private readonly int _maxCableBytes = options.Value.MaxCableBytes;

    public IntakeResult Prepare(Api.IngestCableRequest request)
    {
        var text = request.RawText;
        var format = CableMapper.ToModel(request.Format);
        if (string.IsNullOrWhiteSpace(text))
        {
            return IntakeResult.Reject(format, "EMPTY_TEXT", "raw_text is empty");
        }

        // Cheap bound first: UTF-8 needs at least one byte a char and at most three a UTF-16 unit.
        if (text.Length > _maxCableBytes || (text.Length * 3L > _maxCableBytes && Encoding.UTF8.GetByteCount(text) > _maxCableBytes))
        {
            return IntakeResult.Reject(format, "CABLE_TOO_LARGE", $"raw_text is {Encoding.UTF8.GetByteCount(text)} bytes; the limit is {_maxCableBytes}");
        }

        // PostgreSQL text cannot hold NUL.
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            return IntakeResult.Reject(format, "INVALID_TEXT", "raw_text contains a NUL character");
        }

        SourceMetadata? callerMetadata;
        try
        {
            callerMetadata = CableMapper.ToModel(request.Metadata);
        }
        catch (InvalidOperationException e)
        {
            return IntakeResult.Reject(format, "INVALID_METADATA", e.Message);
        }

        if (format == SourceFormat.Unknown)
        {
            format = SourceFormatDetector.Detect(text);
        }

        ParsedCable cable;
        try
        {
            var raw = Unwrap(text, format, callerMetadata);
            if (string.IsNullOrWhiteSpace(raw.Text))
            {
                return IntakeResult.Reject(format, "UNREADABLE_FORMAT", $"no telegram text found in the {format}");
            }

            cable = CableParser.Parse(raw);
        }
        catch (Exception e)
        {
            // The adapters throw on input they cannot read; the parser itself never throws by contract.
            return IntakeResult.Reject(format, "UNREADABLE_FORMAT", $"not a readable {format}: {e.Message}");
        }

        if (string.IsNullOrEmpty(cable.ReferenceId))
        {
            return IntakeResult.Reject(format, "NO_REFERENCE_ID", "no reference id in the text (DE line, section line) or the metadata");
        }

        // Reference ids are short (08BRUSSELS1390); a huge one can only come from metadata, and would not fit a resume token.
        if (Encoding.UTF8.GetByteCount(cable.ReferenceId) > MaxReferenceIdBytes)
        {
            return IntakeResult.Reject(format, "INVALID_METADATA", $"reference id longer than {MaxReferenceIdBytes} bytes");
        }

        if (cable.Created is null)
        {
            return IntakeResult.Reject(format, "NO_DATE", "no readable date-time group in the text and no created time in the metadata");
        }

        return new(new CableToStore(cable, text, format), format, null, null);
    }

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
