using Cables.Storage;
using Google.Protobuf.WellKnownTypes;
using Api = Cables.Api.V1;
using Model = Cables.Parsing.Model;

namespace CableService.Mapping;

/// <summary>Parser model ⇄ API messages. Unknown scalars become proto defaults (empty, unset).</summary>
public static class CableMapper
{
    public static Api.Cable ToApi(StoredCable stored, bool full)
    {
        var cable = stored.Cable;
        var message = new Api.Cable
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
            Header = ToApi(cable.Header),
            ContentSha256 = stored.ContentSha256Hex,
            Ingested = ToTimestamp(stored.IngestedAt),
            Revised = ToTimestamp(stored.RevisedAt),
            RevisionCount = stored.RevisionCount,
        };
        foreach (var tag in cable.Tags)
        {
            message.Tags.Add(tag.Value);
            message.TagDetails.Add(new Api.Tag { Value = tag.Value, Kind = (Api.TagKind)tag.Kind });
        }

        message.RawTags.AddRange(cable.RawTags);
        foreach (var reference in cable.References)
        {
            message.References.Add(new Api.Reference
            {
                Kind = (Api.ReferenceKind)reference.Kind,
                Id = reference.Id ?? "",
                Label = reference.Label ?? "",
                Text = reference.Text,
            });
        }

        foreach (var classifier in cable.ClassifiedBy)
        {
            message.ClassifiedBy.Add(new Api.Classifier { Name = classifier.Name, Title = classifier.Title ?? "" });
        }

        message.ClassificationReasons.AddRange(cable.ClassificationReasons);
        message.Signers.AddRange(cable.Signers);
        message.Warnings.AddRange(cable.Warnings.Select(ToApi));
        if (full)
        {
            message.Body = cable.Body;
            message.RawText = stored.RawText ?? "";
            foreach (var paragraph in cable.Paragraphs)
            {
                message.Paragraphs.Add(new Api.Paragraph
                {
                    Number = paragraph.Number ?? 0,
                    Marking = paragraph.Marking ?? "",
                    Text = paragraph.Text,
                });
            }
        }

        return message;
    }

    public static Api.ParseWarning ToApi(Model.ParseWarning warning) =>
        new() { Code = warning.Code.ToString(), Message = warning.Message };

    public static Api.SourceFormat ToApi(Model.SourceFormat format) => format switch
    {
        Model.SourceFormat.Telegram => Api.SourceFormat.Telegram,
        Model.SourceFormat.WikiLeaksHtml => Api.SourceFormat.WikileaksHtml,
        Model.SourceFormat.CablesCsv => Api.SourceFormat.CablesCsv,
        _ => Api.SourceFormat.Unspecified,
    };

    public static Model.SourceFormat ToModel(Api.SourceFormat format) => format switch
    {
        Api.SourceFormat.Telegram => Model.SourceFormat.Telegram,
        Api.SourceFormat.WikileaksHtml => Model.SourceFormat.WikiLeaksHtml,
        Api.SourceFormat.CablesCsv => Model.SourceFormat.CablesCsv,
        _ => Model.SourceFormat.Unknown,
    };

    public static Model.ClassificationLevel ToModel(Api.ClassificationLevel level) => level switch
    {
        Api.ClassificationLevel.Unclassified => Model.ClassificationLevel.Unclassified,
        Api.ClassificationLevel.UnclassifiedFouo => Model.ClassificationLevel.UnclassifiedForOfficialUseOnly,
        Api.ClassificationLevel.Confidential => Model.ClassificationLevel.Confidential,
        Api.ClassificationLevel.Secret => Model.ClassificationLevel.Secret,
        Api.ClassificationLevel.TopSecret => Model.ClassificationLevel.TopSecret,
        _ => Model.ClassificationLevel.Unknown,
    };

    public static Api.ClassificationLevel ToApi(Model.ClassificationLevel level) => level switch
    {
        Model.ClassificationLevel.Unclassified => Api.ClassificationLevel.Unclassified,
        Model.ClassificationLevel.UnclassifiedForOfficialUseOnly => Api.ClassificationLevel.UnclassifiedFouo,
        Model.ClassificationLevel.Confidential => Api.ClassificationLevel.Confidential,
        Model.ClassificationLevel.Secret => Api.ClassificationLevel.Secret,
        Model.ClassificationLevel.TopSecret => Api.ClassificationLevel.TopSecret,
        _ => Api.ClassificationLevel.Unspecified,
    };

    /// <summary>The caller's metadata; null when the request carries none.</summary>
    public static Model.SourceMetadata? ToModel(Api.SourceMetadata? metadata)
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

    private static Api.Classification ToApi(Model.ClassificationInfo classification)
    {
        var message = new Api.Classification { Level = ToApi(classification.Level), Label = classification.Label ?? "" };
        message.Caveats.AddRange(classification.Caveats);
        return message;
    }

    private static Api.TelegramHeader ToApi(Model.TelegramHeader header)
    {
        var message = new Api.TelegramHeader
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

    private static Api.Recipient ToApi(Model.Recipient recipient)
    {
        var message = new Api.Recipient
        {
            RoutingIndicator = recipient.RoutingIndicator ?? "",
            Name = recipient.Name,
            Precedence = recipient.Precedence ?? "",
            MessageContinuityNumber = recipient.MessageContinuityNumber ?? "",
        };
        message.Exclusions.AddRange(recipient.Exclusions);
        return message;
    }

    private static Timestamp? ToTimestamp(DateTime? time) =>
        time is { } value ? Timestamp.FromDateTime(DateTime.SpecifyKind(value, DateTimeKind.Utc)) : null;

    private static string? NullIfBlank(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
