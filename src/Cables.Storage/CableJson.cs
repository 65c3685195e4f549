using System.Text.Json.Serialization;
using Cables.Parsing.Model;

namespace Cables.Storage;

/// <summary>The parts of a <see cref="ParsedCable"/> without a column of their own, stored together as jsonb <c>details</c>.</summary>
internal sealed record CableDetails
{
    public IReadOnlyList<CableTag> Tags { get; init; } = [];

    public IReadOnlyList<string> RawTags { get; init; } = [];

    public IReadOnlyList<CableReference> References { get; init; } = [];

    public IReadOnlyList<Classifier> ClassifiedBy { get; init; } = [];

    public IReadOnlyList<string> ClassificationReasons { get; init; } = [];

    public IReadOnlyList<string> Signers { get; init; } = [];

    public IReadOnlyList<ParseWarning> Warnings { get; init; } = [];

    public string? ExecutiveOrder { get; init; }

    public DateOnly? DeclassificationDate { get; init; }

    public bool IsPartialExtract { get; init; }

    public static CableDetails From(ParsedCable cable) => new()
    {
        Tags = cable.Tags,
        RawTags = cable.RawTags,
        References = cable.References,
        ClassifiedBy = cable.ClassifiedBy,
        ClassificationReasons = cable.ClassificationReasons,
        Signers = cable.Signers,
        Warnings = cable.Warnings,
        ExecutiveOrder = cable.ExecutiveOrder,
        DeclassificationDate = cable.DeclassificationDate,
        IsPartialExtract = cable.IsPartialExtract,
    };
}

/// <summary>
/// Source-generated JSON for the jsonb columns. camelCase names are part of the schema: the ingest statement
/// reads <c>header-&gt;'to'</c> and <c>header-&gt;'info'</c> to fill <c>cable_recipients</c>.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(TelegramHeader))]
[JsonSerializable(typeof(CableDetails))]
[JsonSerializable(typeof(IReadOnlyList<Paragraph>))]
internal sealed partial class CableJsonContext : JsonSerializerContext;
