using NpgsqlTypes;

namespace Cables.Storage.Schema;

// Table shapes for the EF Core model and its migration. The ingest and read paths use raw SQL over these tables.

/// <summary>
/// The columns of one version of a cable, current (<see cref="CableEntity"/>) or earlier (<see cref="CableRevisionEntity"/>),
/// so one reader serves both tables. Each fact is stored once: the parsed fields as their encoded API message, the body
/// and the raw text as text; the other columns repeat what the message holds only where a filter or an index needs them.
/// </summary>
internal abstract class CableVersionColumns
{
    public required string ReferenceId { get; set; }

    /// <summary>Date-time group in UTC; <c>-infinity</c> when the cable has none, so keyset order stays total.</summary>
    public DateTime Created { get; set; }

    public short ClassificationLevel { get; set; }

    /// <summary>Dissemination controls of the classification line (NOFORN, EXDIS…).</summary>
    public string[] Caveats { get; set; } = [];

    /// <summary>The parsed fields as an encoded <c>cables.v1.Cable</c> (fields 1-18): what a BASIC read sends.</summary>
    public required byte[] Message { get; set; }

    /// <summary>The parsed body; its numbered paragraphs are read from it.</summary>
    public required string Body { get; set; }

    public required string RawText { get; set; }

    public required byte[] ContentSha256 { get; set; }

    public short SourceFormat { get; set; }

    /// <summary>Where the caller said this text came from (file, release, URL); null when it did not say.</summary>
    public string? Source { get; set; }

    /// <summary>When this content became current.</summary>
    public DateTime IngestedAt { get; set; }
}

/// <summary>One row per cable: its current version, and what its filters need.</summary>
internal sealed class CableEntity : CableVersionColumns
{
    public string? Origin { get; set; }

    public string[] Tags { get; set; } = [];

    /// <summary>Weighted above the body in the full-text vector.</summary>
    public string? Subject { get; set; }

    public DateTime? RevisedAt { get; set; }

    public int RevisionCount { get; set; }
}

/// <summary>Cable <see cref="ReferenceId"/> cites cable <see cref="CitedId"/> in its REF list: answers "who cites X".</summary>
internal sealed class CableCitationEntity
{
    public required string ReferenceId { get; set; }

    public required string CitedId { get; set; }
}

/// <summary>Earlier content of a cable, kept when a different text arrives under the same reference id.</summary>
internal sealed class CableRevisionEntity : CableVersionColumns
{
    /// <summary>
    /// The version number this content had: 1 for the first text of the id. The current version of a cable is
    /// <c>revision_count + 1</c>, so one numbering covers both tables.
    /// </summary>
    public int Revision { get; set; }

    /// <summary>When a different content replaced it.</summary>
    public DateTime ReplacedAt { get; set; }
}

/// <summary>
/// The full-text vector of a cable (english; subject weighted A, body D), kept apart from <c>cables</c> so a bulk load
/// is not held up by it: it is computed after the row commits, from <see cref="CableSearchQueueEntity"/>.
/// </summary>
internal sealed class CableSearchEntity
{
    public required string ReferenceId { get; set; }

    public required NpgsqlTsVector Search { get; set; }
}

/// <summary>
/// A cable whose vector is missing or stale. Triggers on <c>cables</c> add one for every inserted row and every change
/// of subject or body, whoever writes it; the search indexer computes the vector and removes the entry.
/// </summary>
internal sealed class CableSearchQueueEntity
{
    public required string ReferenceId { get; set; }

    public DateTime QueuedAt { get; set; }
}

/// <summary>
/// One change of a cable, written by triggers on <c>cables</c> in the writing transaction and read by watchers in the
/// order of its transaction's <see cref="CableCommitEntity.CommitNumber"/>, then <see cref="Seq"/>. A row of kind 0 with
/// an empty reference id (of transaction 0) marks the position up to which older rows were pruned.
/// </summary>
internal sealed class CableChangeEntity
{
    public required string ReferenceId { get; set; }

    /// <summary><c>pg_current_xact_id()</c> of the writing transaction: the key of its <see cref="CableCommitEntity"/>.</summary>
    public long Xid { get; set; }

    /// <summary>Drawn from the table's identity: orders the changes of one transaction.</summary>
    public long Seq { get; set; }

    /// <summary>1 created, 2 revised, 0 the pruning marker.</summary>
    public short Kind { get; set; }

    // The cable's fields that watch filters match on, as this change wrote them: the feed matches a change without
    // reading its cable, and reads the cables of matched changes only.
    public DateTime Created { get; set; }

    public string? Origin { get; set; }

    public short ClassificationLevel { get; set; }

    public string[] Caveats { get; set; } = [];

    public string[] Tags { get; set; } = [];
}

/// <summary>
/// One transaction that logged changes, numbered as it commits: the number is drawn at commit under a lock held until
/// the commit is visible, so numbers follow commit order and every number below a visible one is visible too.
/// </summary>
internal sealed class CableCommitEntity
{
    /// <summary><c>pg_current_xact_id()</c> of the transaction; 0 for the pruning marker.</summary>
    public long Xid { get; set; }

    /// <summary>Null until the transaction commits; no other transaction ever sees it null.</summary>
    public long? CommitNumber { get; set; }

    /// <summary>Start of the transaction: what retention counts from.</summary>
    public DateTime LoggedAt { get; set; }
}
