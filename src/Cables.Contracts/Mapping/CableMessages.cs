using Google.Protobuf.WellKnownTypes;
using Model = Cables.Parsing.Model;

namespace Cables.Api.V1.Mapping;

/// <summary>
/// Parser model ⇄ API messages, shared by the service (what it stores and serves) and cablectl (what
/// <c>cablectl parse</c> prints and <c>cablectl ingest</c> sends), so both speak the same shapes.
/// Unknown scalars become proto defaults (empty, unset).
/// </summary>
public static class CableMessages
{
    /// <summary>The parsed cable; <paramref name="full"/> adds body and paragraphs (raw text is the store's to add).</summary>
    public static Cable ToApi(Model.ParsedCable cable, bool full)
    {
        var message = new Cable
        {
            ReferenceId = cable.ReferenceId ?? "",
            Created = ToTimestamp(cable.Created),
            Origin = cable.Origin ?? "",
            Classification = ToApi(cable.Classification),
            Subject = cable.Subject ?? "",
            ExecutiveOrder = cable.ExecutiveOrder ?? "",
            DeclassificationDate = cable.DeclassificationDate?.ToString("yyyy-MM-dd") ?? "",
            Summary = cable.Summary ?? "",
            PartialExtract = cable.IsPartialExtract,
        };
        var header = ToApi(cable.Header);
        if (header.CalculateSize() > 0)
        {
            message.Header = header; // an absent header stays absent in JSON rather than printing as {}
        }

        foreach (var tag in cable.Tags)
        {
            message.Tags.Add(tag.Value);
            message.TagDetails.Add(new Tag { Value = tag.Value, Kind = (TagKind)tag.Kind });
        }

        message.RawTags.AddRange(cable.RawTags);
        foreach (var reference in cable.References)
        {
            message.References.Add(new Reference
            {
                Kind = (ReferenceKind)reference.Kind,
                Id = reference.Id ?? "",
                Label = reference.Label ?? "",
                Text = reference.Text,
            });
        }

        foreach (var classifier in cable.ClassifiedBy)
        {
            message.ClassifiedBy.Add(new Classifier { Name = classifier.Name, Title = classifier.Title ?? "" });
        }

        message.ClassificationReasons.AddRange(cable.ClassificationReasons);
        message.Signers.AddRange(cable.Signers);
        message.Warnings.AddRange(cable.Warnings.Select(ToApi));
        if (full)
        {
            message.Body = cable.Body;
            message.Paragraphs.AddRange(cable.Paragraphs.Select(ToApi));
        }

        return message;
    }

    public static Paragraph ToApi(Model.Paragraph paragraph) =>
        new() { Number = paragraph.Number ?? 0, Marking = paragraph.Marking ?? "", Text = paragraph.Text };

    public static Classification ToApi(Model.ClassificationInfo classification)
    {
        var message = new Classification { Level = ToApi(classification.Level), Label = classification.Label ?? "" };
        message.Caveats.AddRange(classification.Caveats);
        return message;
    }

    /// <summary>Codes are the model's names (<c>MissingReferenceId</c>).</summary>
    public static ParseWarning ToApi(Model.ParseWarning warning) =>
        new() { Code = warning.Code.ToString(), Message = warning.Message };

    public static SourceFormat ToApi(Model.SourceFormat format) => format switch
    {
        Model.SourceFormat.Telegram => SourceFormat.Telegram,
        Model.SourceFormat.WikiLeaksHtml => SourceFormat.WikileaksHtml,
        Model.SourceFormat.CablesCsv => SourceFormat.CablesCsv,
        _ => SourceFormat.Unspecified,
    };

    public static Model.SourceFormat ToModel(SourceFormat format) => format switch
    {
        SourceFormat.Telegram => Model.SourceFormat.Telegram,
        SourceFormat.WikileaksHtml => Model.SourceFormat.WikiLeaksHtml,
        SourceFormat.CablesCsv => Model.SourceFormat.CablesCsv,
        _ => Model.SourceFormat.Unknown,
    };

    public static Model.ClassificationLevel ToModel(ClassificationLevel level) => level switch
    {
        ClassificationLevel.Unclassified => Model.ClassificationLevel.Unclassified,
        ClassificationLevel.UnclassifiedFouo => Model.ClassificationLevel.UnclassifiedForOfficialUseOnly,
        ClassificationLevel.Confidential => Model.ClassificationLevel.Confidential,
        ClassificationLevel.Secret => Model.ClassificationLevel.Secret,
        ClassificationLevel.TopSecret => Model.ClassificationLevel.TopSecret,
        _ => Model.ClassificationLevel.Unknown,
    };

    public static ClassificationLevel ToApi(Model.ClassificationLevel level) => level switch
    {
        Model.ClassificationLevel.Unclassified => ClassificationLevel.Unclassified,
        Model.ClassificationLevel.UnclassifiedForOfficialUseOnly => ClassificationLevel.UnclassifiedFouo,
        Model.ClassificationLevel.Confidential => ClassificationLevel.Confidential,
        Model.ClassificationLevel.Secret => ClassificationLevel.Secret,
        Model.ClassificationLevel.TopSecret => ClassificationLevel.TopSecret,
        _ => ClassificationLevel.Unspecified,
    };

    /// <summary>What a source says of a cable, as an ingest request carries it; null when there is nothing.</summary>
    public static SourceMetadata? ToApi(Model.SourceMetadata? metadata)
    {
        if (metadata is null)
        {
            return null;
        }

        var message = new SourceMetadata
        {
            ReferenceId = metadata.ReferenceId ?? "",
            Created = ToTimestamp(metadata.Created),
            Classification = metadata.Classification ?? "",
            Origin = metadata.Origin ?? "",
        };
        if (metadata.PartialExtract is { } partial)
        {
            message.PartialExtract = partial;
        }

        message.References.AddRange(metadata.References);
        return message;
    }

    /// <summary>The caller's metadata; null when the request carries none.</summary>
    public static Model.SourceMetadata? ToModel(SourceMetadata? metadata)
    {
        if (metadata is null)
        {
            return null;
        }

        return new Model.SourceMetadata
        {
            ReferenceId = NullIfBlank(metadata.ReferenceId),
            Created = metadata.Created?.ToDateTime(),
            Classification = NullIfBlank(metadata.Classification),
            Origin = NullIfBlank(metadata.Origin),
            References = [.. metadata.References],
            PartialExtract = metadata.HasPartialExtract ? metadata.PartialExtract : null,
        };
    }

    public static TelegramHeader ToApi(Model.TelegramHeader header)
    {
        var message = new TelegramHeader
        {
            TransmissionId = header.TransmissionId ?? "",
            Precedence = header.Precedence ?? "",
            SecondaryPrecedence = header.SecondaryPrecedence ?? "",
            OriginatingStation = header.OriginatingStation ?? "",
            StationSerialNumber = header.StationSerialNumber ?? "",
            Section = header.Section ?? "",
            FilingTime = header.FilingTime ?? "",
            SecurityLine = header.SecurityLine ?? "",
            DateTimeGroup = header.DateTimeGroup ?? "",
            From = header.From ?? "",
        };
        message.RoutingIndicators.AddRange(header.RoutingIndicators);
        message.To.AddRange(header.To.Select(ToApi));
        message.Info.AddRange(header.Info.Select(ToApi));
        message.Exclusions.AddRange(header.Exclusions);
        return message;
    }

    public static Recipient ToApi(Model.Recipient recipient)
    {
        var message = new Recipient
        {
            RoutingIndicator = recipient.RoutingIndicator ?? "",
            Name = recipient.Name,
            Precedence = recipient.Precedence ?? "",
            MessageContinuityNumber = recipient.MessageContinuityNumber ?? "",
        };
        message.Exclusions.AddRange(recipient.Exclusions);
        return message;
    }

    // Parser and source times are UTC by contract but may carry Kind Unspecified: pin those rather than shift them.
    public static Timestamp? ToTimestamp(DateTime? value) => value switch
    {
        null => null,
        { Kind: DateTimeKind.Local } local => Timestamp.FromDateTime(local.ToUniversalTime()),
        { } time => Timestamp.FromDateTime(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
    };

    private static string? NullIfBlank(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
