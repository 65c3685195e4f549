using NpgsqlTypes;

namespace Cables.Storage.Schema;

// Table shapes for the EF Core model and migrations. The ingest and query paths use raw SQL over these tables.

/// <summary>One row per cable: searchable columns, the parsed record as jsonb, the raw text and its hash.</summary>
public sealed class CableEntity
{
    public required string ReferenceId { get; set; }

    /// <summary>Date-time group in UTC; <c>-infinity</c> when the cable has none, so keyset order stays total.</summary>
    public DateTime Created { get; set; }

    public string? Origin { get; set; }

    /// <summary>FM line (plain language address) from the header.</summary>
    public string? FromPlad { get; set; }

    public short ClassificationLevel { get; set; }

    public string? ClassificationLabel { get; set; }

    public string[] Caveats { get; set; } = [];

    public string[] Tags { get; set; } = [];

    public string? Subject { get; set; }

    public string? Summary { get; set; }

    /// <summary><see cref="Cables.Parsing.Model.TelegramHeader"/> as JSON.</summary>
    public required string Header { get; set; }

    /// <summary>The rest of the parsed record a BASIC read needs (tags with kinds, references, classifiers, signers, warnings…).</summary>
    public required string Details { get; set; }

    /// <summary>
    /// The parsed fields as an encoded <c>cables.v1.Cable</c> (fields 1-18), written with the row: a read sends these
    /// bytes as they are instead of rebuilding the message from the JSON columns. Null in rows stored before it existed.
    /// </summary>
    public byte[]? Message { get; set; }

    /// <summary>Numbered paragraphs as JSON, in rows stored before <see cref="ParagraphsMessage"/> existed; null since.</summary>
    public string? Paragraphs { get; set; }

    /// <summary>
    /// Numbered paragraphs as the encoded <c>paragraphs</c> entries of a <c>cables.v1.Cable</c> (field 31), read only
    /// for the FULL view, which appends them as they are. PostgreSQL sends bytea several times cheaper than jsonb.
    /// </summary>
    public byte[]? ParagraphsMessage { get; set; }

    /// <summary>The parsed body, in rows whose <see cref="BodyMap"/> is null; null where the map gives it.</summary>
    public string? Body { get; set; }

    /// <summary>
    /// The body as lines of <see cref="RawText"/> (<see cref="Storage.BodyMap"/>), so the text is stored once: a few
    /// bytes against the body's kilobytes. Null where the body is stored as it is.
    /// </summary>
    public byte[]? BodyMap { get; set; }

    public required string RawText { get; set; }

    public required byte[] ContentSha256 { get; set; }

    public short SourceFormat { get; set; }

    public DateTime IngestedAt { get; set; }

    public DateTime? RevisedAt { get; set; }

    public int RevisionCount { get; set; }
}

/// <summary>A TO or INFO addressee of a cable, in header order.</summary>
public sealed class CableRecipientEntity
{
    public required string ReferenceId { get; set; }

    /// <summary><c>TO</c> or <c>INFO</c>.</summary>
    public required string Kind { get; set; }

    public int Position { get; set; }

    public required string Name { get; set; }

    public string? RoutingIndicator { get; set; }

    public string? Precedence { get; set; }

    public string? MessageContinuityNumber { get; set; }
}

/// <summary>Cable <see cref="ReferenceId"/> cites cable <see cref="CitedId"/> in its REF list: answers "who cites X".</summary>
public sealed class CableCitationEntity
{
    public required string ReferenceId { get; set; }

    public required string CitedId { get; set; }
}

/// <summary>Earlier content of a cable, kept when a different text arrives under the same reference id.</summary>
public sealed class CableRevisionEntity
{
    public required string ReferenceId { get; set; }

    /// <summary>The revision count the cable had while this content was current (0 = first version).</summary>
    public int Revision { get; set; }

    public required string RawText { get; set; }

    public required byte[] ContentSha256 { get; set; }

    /// <summary>The replaced row's columns as one JSON object.</summary>
    public required string Parsed { get; set; }

    public DateTime ReplacedAt { get; set; }
}

/// <summary>
/// The full-text vector of a cable (english; subject weighted A, body D), kept apart from <c>cables</c> so a bulk load
/// is not held up by it: it is computed after the row commits, from <see cref="CableSearchQueueEntity"/>.
/// </summary>
public sealed class CableSearchEntity
{
    public required string ReferenceId { get; set; }

    public required NpgsqlTsVector Search { get; set; }
}

/// <summary>
/// A cable whose vector is missing or stale. Triggers on <c>cables</c> add one for every inserted row and every change
/// of subject or body, whoever writes it; the search indexer computes the vector and removes the entry.
/// </summary>
public sealed class CableSearchQueueEntity
{
    public required string ReferenceId { get; set; }

    public DateTime QueuedAt { get; set; }
}
