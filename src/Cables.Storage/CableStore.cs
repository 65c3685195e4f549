using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Cables.Api.V1.Wire;
using Cables.Parsing;
using Cables.Parsing.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Cables.Storage;

/// <summary>
/// The cable store over PostgreSQL. Thread-safe; register as a singleton over one <see cref="NpgsqlDataSource"/>.
/// Writes: binary COPY plus one set-based upsert per batch. Reads: raw SQL in keyset chunks, each chunk on a
/// pooled connection that is returned before the chunk's rows are handed to the caller.
/// </summary>
public sealed partial class CableStore(NpgsqlDataSource dataSource, ILogger<CableStore>? logger = null)
{
    public const int DefaultChunkSize = 500;
    public const int DefaultFullChunkSize = 100;
    public const int DefaultFirstChunkSize = 4;
    public const int DefaultKeyChunkSize = 50_000;

    private readonly NpgsqlDataSource _dataSource = dataSource;
    private readonly ILogger _logger = logger ?? NullLogger<CableStore>.Instance;

    /// <summary>Rows fetched per round trip by <see cref="StreamChunksAsync"/> in the BASIC view.</summary>
    public int ChunkSize { get; init; } = DefaultChunkSize;

    /// <summary>
    /// Rows fetched per round trip in the FULL view: a FULL row is ~40 KB in memory (body, raw text and paragraphs as
    /// .NET strings), and a stream holds two chunks (one handed over, one fetched ahead) while a slow client drains it.
    /// </summary>
    public int FullChunkSize { get; init; } = DefaultFullChunkSize;

    /// <summary>Rows of a stream's first round trip: few, so the first cable is not kept waiting for a whole chunk.</summary>
    public int FirstChunkSize { get; init; } = DefaultFirstChunkSize;

    /// <summary>Ordered keys read per query by a stream whose filters are served by a GIN index.</summary>
    public int KeyChunkSize { get; init; } = DefaultKeyChunkSize;

    /// <summary>The cable with this reference id, or null. <paramref name="full"/> also reads body, paragraphs and raw text.</summary>
    public async Task<StoredCable?> GetAsync(string referenceId, bool full, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {CableQuerySql.Columns(full)} FROM cables c WHERE c.reference_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = referenceId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadCable(reader, full) : null;
    }

    /// <summary>Streams the matching cables in the query's order: <see cref="StreamChunksAsync"/>, one cable at a time.</summary>
    public async IAsyncEnumerable<StoredCable> StreamAsync(CableQuery query, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var chunk in StreamChunksAsync(query, ct))
        {
            foreach (var cable in chunk)
            {
                ct.ThrowIfCancellationRequested();
                yield return cable;
            }
        }
    }

    /// <summary>
    /// Streams the matching cables in the query's order, in chunks. Each chunk is one query on its own pooled
    /// connection, released before the chunk is handed over: a slow consumer holds no connection, and memory holds
    /// the chunk handed over plus the next one, fetched while the consumer works on this one. The first chunk is
    /// small so the first cable comes quickly; the rest are <see cref="ChunkSize"/> (<see cref="FullChunkSize"/> in the
    /// FULL view). <paramref name="ct"/> cancels the running command.
    /// </summary>
    /// <remarks>
    /// Filters served by a GIN index (full text, tags, citations) find their matches in no useful order, so a keyset
    /// query over them would find and sort every match again for each chunk. Those streams read the ordered keys of
    /// up to <see cref="KeyChunkSize"/> matches in one query, then the rows by key, chunk by chunk.
    /// </remarks>
    public IAsyncEnumerable<IReadOnlyList<StoredCable>> StreamChunksAsync(CableQuery query, CancellationToken ct) =>
        StreamChunksAsync(CablesPlan(query), query.Full, ct);

    /// <summary>
    /// Streams the matching cables as their encoded API messages (<see cref="EncodedCable"/>), in the query's order
    /// and view, chunked like <see cref="StreamChunksAsync(CableQuery, CancellationToken)"/>. The parsed fields are
    /// sent as stored at ingest: no JSON is parsed and no message built, except for rows stored before the message was.
    /// </summary>
    public IAsyncEnumerable<IReadOnlyList<EncodedCable>> StreamMessageChunksAsync(CableQuery query, CancellationToken ct) =>
        StreamChunksAsync(MessagesPlan(query), query.Full, ct);

    private async IAsyncEnumerable<IReadOnlyList<T>> StreamChunksAsync<T>(StreamPlan<T> plan, bool full, [EnumeratorCancellation] CancellationToken ct)
    {
        using var prefetch = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var chunkSize = full ? FullChunkSize : ChunkSize;
        Task<List<T>>? next = plan.NextAsync(Math.Min(FirstChunkSize, chunkSize), prefetch.Token);
        try
        {
            while (next is not null)
            {
                var chunk = await next;
                next = plan.IsDone ? null : plan.NextAsync(chunkSize, prefetch.Token);
                if (chunk.Count > 0)
                {
                    yield return chunk;
                }
            }
        }
        finally
        {
            if (next is not null)
            {
                // The consumer stopped early: cancel the chunk being fetched for it, and wait so its connection is back.
                await prefetch.CancelAsync();
                await ((Task)next).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>
    /// Merges the pending lists of the GIN indexes (tags, full text) into their trees; returns the pages merged.
    /// A bulk load leaves up to <c>gin_pending_list_limit</c> of entries pending, and every tag or text query scans
    /// all of them until autovacuum merges them: merged right after the load, queries are fast at once.
    /// </summary>
    public async Task<long> MergePendingIndexEntriesAsync(CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(
            """SELECT gin_clean_pending_list('"IX_cables_tags"'::regclass) + gin_clean_pending_list('"IX_cable_search_search"'::regclass)""");
        command.CommandTimeout = 0; // tens of megabytes of entries may take a while; the caller's token bounds it
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>How many cables match the filters of <paramref name="query"/> (order, limit, view and cursor are ignored).</summary>
    public async Task<long> CountAsync(CableQuery query, CancellationToken ct)
    {
        var sql = CableQuerySql.Filter(query, after: null);
        await using var command = _dataSource.CreateCommand(sql.Count());
        sql.AddParametersTo(command);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Earlier contents of a cable, oldest first, in the full view. For each, <see cref="StoredCable.RevisionCount"/>
    /// is the revision it was (0 for the first version), <see cref="StoredCable.IngestedAt"/> when it was stored and
    /// <see cref="StoredCable.RevisedAt"/> when it was replaced.
    /// </summary>
    public async Task<IReadOnlyList<StoredCable>> GetRevisionsAsync(string referenceId, CancellationToken ct)
    {
        // The same column shape as a FULL read of cables, rebuilt from the replaced row's JSON (where the row had no JSON
        // paragraphs, jsonb_build_object stored a JSON null: read as none, so the body gives them).
        const string Sql = """
            SELECT r.reference_id, (r.parsed ->> 'created')::timestamptz, r.parsed ->> 'origin',
                   (r.parsed ->> 'classificationLevel')::smallint, r.parsed ->> 'classificationLabel',
                   ARRAY(SELECT jsonb_array_elements_text(r.parsed -> 'caveats')), r.parsed ->> 'subject',
                   r.parsed ->> 'summary', r.parsed -> 'header', r.parsed -> 'details', r.content_sha256,
                   coalesce((r.parsed ->> 'revisedAt')::timestamptz, (r.parsed ->> 'ingestedAt')::timestamptz),
                   r.replaced_at, r.revision, r.parsed ->> 'body', r.raw_text, nullif(r.parsed -> 'paragraphs', 'null'::jsonb),
                   decode(r.parsed ->> 'paragraphsMessage', 'base64'), decode(r.parsed ->> 'bodyMap', 'base64')
            FROM cable_revisions r
            WHERE r.reference_id = $1
            ORDER BY r.revision
            """;
        return await ReadCablesAsync(
            Sql, command => command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = referenceId }), full: true, expected: 4, ct);
    }

    /// <summary>
    /// Paragraphs in the FULL columns: read from the body (14) when none are stored, which is so for every row since
    /// <c>ParagraphsFromBody</c> whose body gives its paragraphs; else encoded (17), or JSON (16) in older rows.
    /// </summary>
    private static IReadOnlyList<Paragraph> ReadParagraphs(DbDataReader reader, string body) =>
        !reader.IsDBNull(17) ? StoredCableParts.DecodeParagraphs(reader.GetFieldValue<byte[]>(17))
        : !reader.IsDBNull(16) ? JsonSerializer.Deserialize(reader.GetFieldValue<byte[]>(16), CableJsonContext.Default.IReadOnlyListParagraph)!
        : CableParser.ReadParagraphs(body);

    /// <summary>
    /// The body in the FULL columns: stored (14), or given by its map (18) over the raw text (15). A revision that a
    /// release from before <c>BodyFromRawText</c> archived from a mapped row kept neither; its raw text gives it again.
    /// </summary>
    private static string ReadBody(DbDataReader reader, string rawText) =>
        !reader.IsDBNull(14) ? reader.GetString(14)
        : !reader.IsDBNull(18) ? BodyMap.Decode(rawText, reader.GetFieldValue<byte[]>(18))
        : CableParser.Parse(rawText).Body;

    /// <summary>Maps a row in <see cref="CableQuerySql.BasicColumns"/> (+ full) order back to a <see cref="ParsedCable"/>.</summary>
    private static StoredCable ReadCable(DbDataReader reader, bool full)
    {
        var created = reader.GetFieldValue<DateTime>(1);
        var details = JsonSerializer.Deserialize(reader.GetFieldValue<byte[]>(9), CableJsonContext.Default.CableDetails)!;
        var rawText = full ? reader.GetString(15) : null;
        var body = rawText is null ? "" : ReadBody(reader, rawText);
        var cable = new ParsedCable
        {
            ReferenceId = reader.GetString(0),
            Created = created == DateTime.MinValue ? null : created,
            Origin = reader.IsDBNull(2) ? null : reader.GetString(2),
            Classification = new ClassificationInfo
            {
                Level = (ClassificationLevel)reader.GetInt16(3),
                Label = reader.IsDBNull(4) ? null : reader.GetString(4),
                Caveats = reader.GetFieldValue<string[]>(5),
            },
            Subject = reader.IsDBNull(6) ? null : reader.GetString(6),
            Summary = reader.IsDBNull(7) ? null : reader.GetString(7),
            Header = JsonSerializer.Deserialize(reader.GetFieldValue<byte[]>(8), CableJsonContext.Default.TelegramHeader)!,
            Tags = details.Tags,
            RawTags = details.RawTags,
            References = details.References,
            ClassifiedBy = details.ClassifiedBy,
            ClassificationReasons = details.ClassificationReasons,
            Signers = details.Signers,
            Warnings = details.Warnings,
            ExecutiveOrder = details.ExecutiveOrder,
            DeclassificationDate = details.DeclassificationDate,
            IsPartialExtract = details.IsPartialExtract,
            Body = body,
            Paragraphs = full ? ReadParagraphs(reader, body) : [],
        };

        return new StoredCable(
            cable,
            rawText,
            Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(10)),
            reader.GetFieldValue<DateTime>(11),
            reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTime>(12),
            reader.GetInt32(13));
    }
}
