using System.Runtime.CompilerServices;
using Cables.Api.V1;
using Cables.Storage.Internal;
using Cables.Storage.ReadModel;
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

    /// <summary>The cable with this reference id as the API serves it, or null. <paramref name="full"/> adds body, paragraphs and raw text.</summary>
    public Task<Cable?> GetAsync(string referenceId, bool full, CancellationToken ct) =>
        GetAsync(referenceId, full ? CableTexts.All : CableTexts.None, ct);

    /// <summary>The cable with this reference id as the API serves it, with the <paramref name="texts"/> asked for, or null.</summary>
    public Task<Cable?> GetAsync(string referenceId, CableTexts texts, CancellationToken ct) =>
        GetAsync(referenceId, texts, CableVisibility.Unrestricted, ct);

    /// <summary>
    /// The cable with this reference id, with the <paramref name="texts"/> asked for, when <paramref name="visibility"/>
    /// lets the caller see it; null when it is not stored or not visible, which the caller cannot tell apart.
    /// </summary>
    public async Task<Cable?> GetAsync(string referenceId, CableTexts texts, CableVisibility visibility, CancellationToken ct)
    {
        List<NpgsqlParameter> parameters = [new NpgsqlParameter<string> { TypedValue = referenceId }];
        var rows = await ReadAsync(
            $"SELECT {CableColumns.For(texts)} FROM cables c WHERE c.reference_id = $1{VisibilitySql.AndClause(visibility, "c", parameters)}",
            command => command.Parameters.AddRange(parameters.ToArray()),
            texts,
            expected: 1,
            ct);
        return rows.Count == 0 ? null : Cable.Parser.ParseFrom(rows[0].Message);
    }

    /// <summary>Streams the matching cables in the query's order, one at a time: <see cref="StreamChunksAsync"/>, decoded.</summary>
    public async IAsyncEnumerable<Cable> StreamAsync(CableQuery query, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var chunk in StreamChunksAsync(query, ct))
        {
            foreach (var cable in chunk)
            {
                ct.ThrowIfCancellationRequested();
                yield return Cable.Parser.ParseFrom(cable.Message);
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
    public async IAsyncEnumerable<IReadOnlyList<EncodedCable>> StreamChunksAsync(CableQuery query, [EnumeratorCancellation] CancellationToken ct)
    {
        using var prefetch = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var plan = new StreamPlan(this, query);
        var chunkSize = query.Texts == CableTexts.None ? ChunkSize : FullChunkSize;
        Task<List<EncodedCable>>? next = plan.NextAsync(Math.Min(FirstChunkSize, chunkSize), prefetch.Token);
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

    /// <summary>How many cables match the filters of <paramref name="query"/> and are visible under its <see cref="CableQuery.Visibility"/> (order, limit, view and cursor are ignored).</summary>
    public async Task<long> CountAsync(CableQuery query, CancellationToken ct)
    {
        var sql = CableQuerySql.Filter(query, after: null);
        await using var command = _dataSource.CreateCommand(sql.Count());
        sql.AddParametersTo(command);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Runs a query over <see cref="CableColumns"/> and reads every row as its encoded cable.</summary>
    private async Task<List<EncodedCable>> ReadAsync(string sql, Action<NpgsqlCommand> addParameters, CableTexts texts, int expected, CancellationToken ct)
    {
        var rows = new List<EncodedCable>(expected);
        await using var command = _dataSource.CreateCommand(sql);
        addParameters(command);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(CableColumns.ReadRow(reader, texts));
        }

        return rows;
    }
}
