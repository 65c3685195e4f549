namespace Cables.Parsing.Model;

public enum TagKind
{
    Unknown = 0,
    Geographic = 1,
    Subject = 2,
    Program = 3,
    Organisation = 4,
    Person = 5,
}

/// <summary>A normalised TAGS entry (<c>PREL</c>, <c>RS</c>, <c>SURNAME, GIVEN</c>) and what kind of tag it is.</summary>
public sealed record CableTag(string Value, TagKind Kind);

public enum ReferenceKind
{
    Unknown = 0,
    Cable = 1,
    Email = 2,
    Telcon = 3,
    Report = 4,
    Memo = 5,
    Meeting = 6,
    Other = 7,
    Book = 8,
}

/// <summary>An entry of the REF list: a cable (with canonical id) or a typed non-cable reference.</summary>
public sealed record CableReference
{
    public required ReferenceKind Kind { get; init; }

    /// <summary>Canonical cable id for <see cref="ReferenceKind.Cable"/>, e.g. <c>06TBILISI619</c>; null otherwise.</summary>
    public string? Id { get; init; }

    /// <summary>The REF label, e.g. <c>A</c>, when the list is lettered.</summary>
    public string? Label { get; init; }

    /// <summary>The reference as written.</summary>
    public required string Text { get; init; }
}

/// <summary>"Classified By" person: name and title as written, normalised.</summary>
public sealed record Classifier(string Name, string? Title);

/// <summary>A numbered body paragraph with its classification marking (<c>C</c>, <c>S/NF</c>, <c>SBU</c>…).</summary>
public sealed record Paragraph(int? Number, string? Marking, string Text);

public enum WarningCode
{
    MissingHeader = 1,
    MissingDateTimeGroup = 2,
    UnreadableDateTimeGroup = 3,
    MissingReferenceId = 4,
    MissingClassification = 5,
    MissingTags = 6,
    MissingSubject = 7,
    UnknownOrigin = 8,
    UnreadableLine = 9,
    Truncated = 10,
    InconsistentMetadata = 11,

    /// <summary>No banner gave a serial: the reference id was composed from the DE line's serial, the FM line's post and the DTG's year.</summary>
    ReferenceIdFromHeader = 12,
}

public sealed record ParseWarning(WarningCode Code, string Message);

/// <summary>What a source (WikiLeaks page, cables.csv row, API caller) states about a cable besides its text.</summary>
public sealed record SourceMetadata
{
    public string? ReferenceId { get; init; }

    public DateTime? Created { get; init; }

    public string? Classification { get; init; }

    public string? Origin { get; init; }

    /// <summary>Reference ids the source lists (cables.csv "references" column).</summary>
    public IReadOnlyList<string> References { get; init; } = [];

    public bool? PartialExtract { get; init; }
}

public enum SourceFormat
{
    Unknown = 0,
    Telegram = 1,
    WikiLeaksHtml = 2,
    CablesCsv = 3,
}

/// <summary>A cable as a source hands it over: telegram text plus what the source says of it.</summary>
public sealed record RawCable(string Text, SourceFormat Format, SourceMetadata? Metadata);
