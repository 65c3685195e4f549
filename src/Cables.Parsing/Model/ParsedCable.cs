namespace Cables.Parsing.Model;

/// <summary>Everything the parser reads from one cable. Never null collections; unknown scalars are null.</summary>
public sealed record ParsedCable
{
    /// <summary>Canonical reference id, e.g. <c>08BRUSSELS1390</c>; null when neither the telegram nor the source metadata gives one.</summary>
    public string? ReferenceId { get; init; }

    /// <summary>UTC time of the date-time group (<c>P 051818Z SEP 08</c> is 2008-09-05T18:18Z).</summary>
    public DateTime? Created { get; init; }

    public TelegramHeader Header { get; init; } = TelegramHeader.Empty;

    /// <summary>Origin post as the archives label it: <c>Embassy Brussels</c>, <c>Secretary of State</c>, <c>Mission USNATO</c>…</summary>
    public string? Origin { get; init; }

    public ClassificationInfo Classification { get; init; } = ClassificationInfo.Unknown;

    /// <summary>The E.O. line as written, e.g. <c>E.O. 12958: DECL: 09/05/2018</c>.</summary>
    public string? ExecutiveOrder { get; init; }

    /// <summary>The declassification (non-disclosure) deadline from the E.O. line.</summary>
    public DateOnly? DeclassificationDate { get; init; }

    /// <summary>Normalised TAGS in order, de-duplicated.</summary>
    public IReadOnlyList<CableTag> Tags { get; init; } = [];

    /// <summary>TAGS exactly as the telegram lists them (after unwrapping renderings such as <c>[PREL](#)</c>).</summary>
    public IReadOnlyList<string> RawTags { get; init; } = [];

    /// <summary>Whole subject, lines joined, classification marking removed.</summary>
    public string? Subject { get; init; }

    public IReadOnlyList<CableReference> References { get; init; } = [];

    public IReadOnlyList<Classifier> ClassifiedBy { get; init; } = [];

    /// <summary>Classification reasons as cited, e.g. <c>1.4(b)</c>, <c>1.4(d)</c>.</summary>
    public IReadOnlyList<string> ClassificationReasons { get; init; } = [];

    public string? Summary { get; init; }

    private IReadOnlyList<Paragraph>? _paragraphs;

    /// <summary>
    /// The numbered paragraphs of <see cref="Body"/>, read from it on first use: an ingest that stores the body never
    /// reads them, and they would cost another copy of the body's text.
    /// </summary>
    public IReadOnlyList<Paragraph> Paragraphs
    {
        get => _paragraphs ??= CableParser.ReadParagraphs(Body);
        init => _paragraphs = value;
    }

    public IReadOnlyList<string> Signers { get; init; } = [];

    /// <summary>True for a WikiLeaks "partial extract" (parts of the cable missing, often no header).</summary>
    public bool IsPartialExtract { get; init; }

    /// <summary>Body text (after the header) with page markers and rendering damage removed.</summary>
    public string Body { get; init; } = "";

    public IReadOnlyList<ParseWarning> Warnings { get; init; } = [];
}
