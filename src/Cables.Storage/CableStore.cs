using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.Json;
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

    private readonly NpgsqlDataSource _dataSource = dataSource;
    private readonly ILogger _logger = logger ?? NullLogger<CableStore>.Instance;

    /// <summary>Rows fetched per round trip by <see cref="StreamAsync"/>.</summary>
    public int ChunkSize { get; init; } = DefaultChunkSize;

    /// <summary>The cable with this reference id, or null. <paramref name="full"/> also reads body, paragraphs and raw text.</summary>
    public async Task<StoredCable?> GetAsync(string referenceId, bool full, CancellationToken ct)
    {
        var columns = full ? CableQuerySql.FullColumns : CableQuerySql.BasicColumns;
        await using var command = _dataSource.CreateCommand($"SELECT {columns} FROM cables c WHERE c.reference_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = referenceId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadCable(reader, full) : null;
    }

    /// <summary>
    /// Streams the matching cables in the query's order. Each chunk of <see cref="ChunkSize"/> rows is one keyset
    /// query on its own pooled connection, released before its rows are yielded: a slow consumer holds no connection,
    /// memory holds one chunk, and <paramref name="ct"/> cancels the running command.
    /// </summary>
    public async IAsyncEnumerable<StoredCable> StreamAsync(CableQuery query, [EnumeratorCancellation] CancellationToken ct)
    {
        var remaining = query.Limit ?? int.MaxValue;
        var after = query.After;
        var chunk = new List<StoredCable>(Math.Min(ChunkSize, remaining));
        while (remaining > 0)
        {
            var size = Math.Min(ChunkSize, remaining);
            var sql = CableQuerySql.Filter(query, after);
            await using (var command = _dataSource.CreateCommand(sql.Select(query, size)))
            {
                sql.AddParametersTo(command);
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    chunk.Add(ReadCable(reader, query.Full));
                }
            }

            foreach (var cable in chunk)
            {
                ct.ThrowIfCancellationRequested();
                yield return cable;
            }

            if (chunk.Count < size)
            {
                yield break;
            }

            var last = chunk[^1].Cable;
            after = new CableCursor(ToStoredCreated(last.Created), last.ReferenceId!);
            remaining -= chunk.Count;
            chunk.Clear();
        }
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
        // The same column shape as a FULL read of cables, rebuilt from the replaced row's JSON.
        const string Sql = """
            SELECT r.reference_id, (r.parsed ->> 'created')::timestamptz, r.parsed ->> 'origin',
                   (r.parsed ->> 'classificationLevel')::smallint, r.parsed ->> 'classificationLabel',
                   ARRAY(SELECT jsonb_array_elements_text(r.parsed -> 'caveats')), r.parsed ->> 'subject',
                   r.parsed ->> 'summary', r.parsed -> 'header', r.parsed -> 'details', r.content_sha256,
                   coalesce((r.parsed ->> 'revisedAt')::timestamptz, (r.parsed ->> 'ingestedAt')::timestamptz),
                   r.replaced_at, r.revision, r.parsed ->> 'body', r.raw_text, r.parsed -> 'paragraphs'
            FROM cable_revisions r
            WHERE r.reference_id = $1
            ORDER BY r.revision
            """;
        await using var command = _dataSource.CreateCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = referenceId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var revisions = new List<StoredCable>();
        while (await reader.ReadAsync(ct))
        {
            revisions.Add(ReadCable(reader, full: true));
        }

        return revisions;
    }

    /// <summary>Maps a row in <see cref="CableQuerySql.BasicColumns"/> (+ full) order back to a <see cref="ParsedCable"/>.</summary>
    private static StoredCable ReadCable(DbDataReader reader, bool full)
    {
        var created = reader.GetFieldValue<DateTime>(1);
        var details = JsonSerializer.Deserialize(reader.GetString(9), CableJsonContext.Default.CableDetails)!;
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
            Header = JsonSerializer.Deserialize(reader.GetString(8), CableJsonContext.Default.TelegramHeader)!,
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
            Body = full ? reader.GetString(14) : "",
            Paragraphs = full ? JsonSerializer.Deserialize(reader.GetString(16), CableJsonContext.Default.IReadOnlyListParagraph)! : [],
        };

        return new StoredCable(
            cable,
            full ? reader.GetString(15) : null,
            Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(10)),
            reader.GetFieldValue<DateTime>(11),
            reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTime>(12),
            reader.GetInt32(13));
    }
}
