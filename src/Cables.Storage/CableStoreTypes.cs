using Cables.Parsing.Model;

namespace Cables.Storage;

/// <summary>
/// A parsed cable and the text it came from, ready to store. <c>Cable.ReferenceId</c> must be set. <c>Source</c>
/// says where the text came from (file, release, URL), kept with the version it makes.
/// </summary>
public sealed record CableToStore(ParsedCable Cable, string RawText, SourceFormat Format, string? Source = null);

/// <summary>What an ingest did with one cable. The values are stable: they cross the wire and the upsert statement.</summary>
public enum IngestOutcome
{
    /// <summary>A reference id not seen before: a new row.</summary>
    Created = 0,

    /// <summary>The same reference id with the same raw text (SHA-256): the row was left untouched.</summary>
    Unchanged = 1,

    /// <summary>The same reference id with different raw text: the old content was kept as a revision and the row replaced.</summary>
    Revised = 2,

    /// <summary>
    /// The reference id is held by a cable the writer may not see: nothing was written, and whether the content was
    /// the same is not told.
    /// </summary>
    Withheld = 3,
}

public sealed record StoreResult(string ReferenceId, IngestOutcome Outcome);

/// <summary>The large parts of a cable a read may add to its parsed fields; each costs a read of its column.</summary>
[Flags]
public enum CableTexts
{
    None = 0,
    Body = 1,
    Paragraphs = 2,
    RawText = 4,
    All = Body | Paragraphs | RawText,
}

/// <summary>A keyset position: the (created, reference id) of the last cable delivered.</summary>
/// <remarks>A cable without a date-time group sorts first, with <see cref="DateTime.MinValue"/> as its created value.</remarks>
public readonly record struct CableCursor(DateTime Created, string ReferenceId);

/// <summary>A cable filter, order and page. Every filter is optional; they combine with AND.</summary>
public sealed record CableQuery
{
    /// <summary>Cables carrying every one of these tags.</summary>
    public IReadOnlyList<string> AllTags { get; init; } = [];

    /// <summary>Cables carrying at least one of these tags.</summary>
    public IReadOnlyList<string> AnyTags { get; init; } = [];

    /// <summary>Cables from any of these origin posts (exact archive labels, e.g. <c>Embassy Brussels</c>).</summary>
    public IReadOnlyList<string> Origins { get; init; } = [];

    /// <summary>Inclusive lower bound on the date-time group (UTC). Cables without a date-time group match no date bound.</summary>
    public DateTime? CreatedFrom { get; init; }

    /// <summary>Exclusive upper bound on the date-time group (UTC). Cables without a date-time group match no date bound.</summary>
    public DateTime? CreatedTo { get; init; }

    /// <summary>Classification ceiling. Cables of unknown classification never pass a ceiling.</summary>
    public ClassificationLevel? MaxClassification { get; init; }

    /// <summary>Full-text query in web-search syntax (<c>websearch_to_tsquery('english', …)</c>) over subject and body.</summary>
    public string? Text { get; init; }

    /// <summary>Cables whose REF list cites this canonical reference id.</summary>
    public string? Cites { get; init; }

    /// <summary>Newest first; otherwise oldest first. Ties on created are broken by reference id (ordinal).</summary>
    public bool Descending { get; init; }

    /// <summary>At most this many cables; null for all.</summary>
    public int? Limit { get; init; }

    /// <summary>The texts to read beside the parsed fields; <see cref="CableTexts.All"/> is the FULL view.</summary>
    public CableTexts Texts { get; init; }

    /// <summary>The FULL view: body, paragraphs and raw text too.</summary>
    public bool Full
    {
        get => Texts == CableTexts.All;
        init => Texts = value ? CableTexts.All : CableTexts.None;
    }

    /// <summary>Continue after this position (exclusive), in the query's order.</summary>
    public CableCursor? After { get; init; }

    /// <summary>What the caller may see: the store applies it in the SQL of every read, whatever the other filters.</summary>
    public CableVisibility Visibility { get; init; } = CableVisibility.Unrestricted;
}

/// <summary>
/// A cable as its encoded <c>cables.v1.Cable</c> message, in the view it was read in, with its keyset position:
/// <see cref="Created"/> is the stored value (<see cref="DateTime.MinValue"/> for a cable without a date-time group).
/// This is what every read of the store yields.
/// </summary>
public sealed record EncodedCable(string ReferenceId, DateTime Created, byte[] Message);

/// <summary>
/// One stored version of a cable: <see cref="Revision"/> 1 is the first text ingested under its reference id, and the
/// current version has the highest. <see cref="Cable"/> is the version's parsed fields as the API serves them, with
/// <c>ingested</c>, <c>revised</c> and <c>revision_count</c> as the cable had them while this version was current.
/// </summary>
/// <param name="Revision">The version number, from 1.</param>
/// <param name="IsCurrent">Whether this is the cable's current text.</param>
/// <param name="IngestedAt">When this text was ingested (became current).</param>
/// <param name="ReplacedAt">When a later text replaced it; null for the current version.</param>
/// <param name="Format">The source format the text came in.</param>
/// <param name="Source">Where the caller said the text came from; null when it did not say.</param>
/// <param name="Cable">The parsed fields, with the texts the read asked for.</param>
public sealed record CableVersion(
    int Revision, bool IsCurrent, DateTime IngestedAt, DateTime? ReplacedAt, SourceFormat Format, string? Source, Cables.Api.V1.Cable Cable);
