using Google.Protobuf.WellKnownTypes;
using V1 = Cables.Api.V1;
using Model = Cables.Parsing.Model;

namespace Cables.Cli.Mapping;

/// <summary>
/// Maps the parser's model to the API's messages, so <c>cablectl parse</c> prints what the service would
/// store and serve. Kept here until the service's mapper moves to a shared project; the two must agree.
/// </summary>
public static class CableMapper
{
    public static V1.Cable ToApi(Model.ParsedCable cable)
    {
        var result = new V1.Cable
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
            Body = cable.Body,
        };
        var header = ToApi(cable.Header);
        if (header.CalculateSize() > 0)
        {
            result.Header = header; // an absent header stays absent in JSON rather than printing as {}
        }

        foreach (var tag in cable.Tags)
        {
            result.Tags.Add(tag.Value);
            result.TagDetails.Add(new V1.Tag { Value = tag.Value, Kind = (V1.TagKind)tag.Kind });
        }

        result.RawTags.Add(cable.RawTags);
        result.References.Add(cable.References.Select(r => new V1.Reference
        {
            Kind = (V1.ReferenceKind)r.Kind,
            Id = r.Id ?? "",
            Label = r.Label ?? "",
            Text = r.Text,
        }));
        result.ClassifiedBy.Add(cable.ClassifiedBy.Select(c => new V1.Classifier { Name = c.Name, Title = c.Title ?? "" }));
        result.ClassificationReasons.Add(cable.ClassificationReasons);
        result.Signers.Add(cable.Signers);
        result.Paragraphs.Add(cable.Paragraphs.Select(p => new V1.Paragraph { Number = p.Number ?? 0, Marking = p.Marking ?? "", Text = p.Text }));
        result.Warnings.Add(cable.Warnings.Select(ToApi));
        return result;
    }

    public static V1.Classification ToApi(Model.ClassificationInfo classification)
    {
        var result = new V1.Classification { Level = (V1.ClassificationLevel)classification.Level, Label = classification.Label ?? "" };
        result.Caveats.Add(classification.Caveats);
        return result;
    }

    /// <summary>Codes are the model's names (<c>MissingReferenceId</c>), as the service spells them.</summary>
    public static V1.ParseWarning ToApi(Model.ParseWarning warning) =>
        new() { Code = warning.Code.ToString(), Message = warning.Message };

    /// <summary>What a source says of a cable, as the ingest request carries it.</summary>
    public static V1.SourceMetadata? ToApi(Model.SourceMetadata? metadata)
    {
        if (metadata is null)
        {
            return null;
        }

        var result = new V1.SourceMetadata
        {
            ReferenceId = metadata.ReferenceId ?? "",
            Created = ToTimestamp(metadata.Created),
            Classification = metadata.Classification ?? "",
            Origin = metadata.Origin ?? "",
        };
        if (metadata.PartialExtract is { } partial)
        {
            result.PartialExtract = partial;
        }

        result.References.Add(metadata.References);
        return result;
    }

    private static V1.TelegramHeader ToApi(Model.TelegramHeader header)
    {
        var result = new V1.TelegramHeader
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
        result.RoutingIndicators.Add(header.RoutingIndicators);
        result.To.Add(header.To.Select(ToApi));
        result.Info.Add(header.Info.Select(ToApi));
        result.Exclusions.Add(header.Exclusions);
        return result;
    }

    private static V1.Recipient ToApi(Model.Recipient recipient)
    {
        var result = new V1.Recipient
        {
            RoutingIndicator = recipient.RoutingIndicator ?? "",
            Name = recipient.Name,
            Precedence = recipient.Precedence ?? "",
            MessageContinuityNumber = recipient.MessageContinuityNumber ?? "",
        };
        result.Exclusions.Add(recipient.Exclusions);
        return result;
    }

    // Parser and source times are UTC by contract but may carry Kind Unspecified: pin those rather than shift them.
    private static Timestamp? ToTimestamp(DateTime? value) => value switch
    {
        null => null,
        { Kind: DateTimeKind.Local } local => Timestamp.FromDateTime(local.ToUniversalTime()),
        { } time => Timestamp.FromDateTime(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
    };
}
