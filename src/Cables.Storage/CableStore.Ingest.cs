using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Cables.Parsing.Model;
using Cables.Storage.Internal;
using Cables.Storage.ReadModel;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Cables.Storage;

public sealed partial class CableStore
{
    private const int MaxTransactionAttempts = 8;
    private const int MaxRaceAttempts = 10;

    /// <summary>
    /// Stores a batch in one transaction and returns one result per input item, in input order, after the commit.
    /// A batch of cables none of which is stored yet (a bulk load) is copied straight into the tables, as a plain
    /// COPY would load them. Any other batch goes through a staging table: binary COPY into it, then one set-based
    /// upsert per pass (a pass holds each reference id once; a repeated id is applied after its earlier occurrence,
    /// in input order). Serialization failures and deadlocks against concurrent batches are retried with the whole
    /// transaction.
    /// </summary>
    public Task<IReadOnlyList<StoreResult>> IngestAsync(IReadOnlyList<CableToStore> batch, CancellationToken ct) =>
        IngestAsync(batch, CableVisibility.Unrestricted, ct);

    /// <summary>
    /// <see cref="IngestAsync(IReadOnlyList{CableToStore}, CancellationToken)"/> by a writer of <paramref name="writer"/>
    /// visibility: an item whose reference id holds a cable the writer may not see is <see cref="IngestOutcome.Withheld"/>
    /// and that cable is left as it is. The items' own levels are the caller's to check before.
    /// </summary>
    public async Task<IReadOnlyList<StoreResult>> IngestAsync(IReadOnlyList<CableToStore> batch, CableVisibility writer, CancellationToken ct)
    {
        if (batch.Count == 0)
        {
            return [];
        }

        var rows = StagedRow.FromBatch(batch);
        if (Array.TrueForAll(rows, r => r.Pass == 0) && await TryCopyNewAsync(rows, ct))
        {
            return [.. rows.Select(r => new StoreResult(r.ReferenceId, IngestOutcome.Created))];
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await IngestOnceAsync(rows, writer, ct);
            }
            catch (PostgresException e) when (IsRetryable(e) && attempt < MaxTransactionAttempts)
            {
                _logger.LogInformation("Ingest of {Count} cables hit {SqlState} ({Message}); retrying (attempt {Attempt})", rows.Length, e.SqlState, e.MessageText, attempt + 1);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(25, 100) * attempt), ct);
            }
        }
    }

    /// <summary>
    /// Why <paramref name="item"/> cannot be stored, or null when it can. Callers reject such items one by one before
    /// batching them: <see cref="IngestAsync"/> refuses a whole batch that holds one.
    /// </summary>
    public static string? Validate(CableToStore item)
    {
        var cable = item.Cable;
        if (string.IsNullOrEmpty(cable.ReferenceId))
        {
            return "it has no reference id";
        }

        // PostgreSQL text and jsonb cannot hold U+0000. Every parsed field comes from the raw text or the source's metadata.
        return StoredText.HasNul(item.RawText) || StoredText.HasNul(cable.Body) || StoredText.HasNul(cable.Subject)
            || StoredText.HasNul(cable.ReferenceId) || StoredText.HasNul(item.Source) || StoredText.HasNul(cable.Origin)
            ? "its text contains a NUL character (U+0000), which PostgreSQL cannot store"
            : null;
    }

    private static bool IsRetryable(PostgresException e) => e.SqlState is
        PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.UniqueViolation;

    private async Task<IReadOnlyList<StoreResult>> IngestOnceAsync(StagedRow[] rows, CableVisibility writer, CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);

        await using (var create = new NpgsqlCommand(IngestSql.CreateStaging, connection, transaction))
        {
            await create.ExecuteNonQueryAsync(ct);
        }

        await CopyAsync(connection, rows, ct);

        await using (var analyze = new NpgsqlCommand(IngestSql.AnalyzeStaging, connection, transaction))
        {
            await analyze.ExecuteNonQueryAsync(ct);
        }

        var outcomes = new IngestOutcome?[rows.Length];
        var passes = rows.Max(r => r.Pass);
        for (var pass = 0; pass <= passes; pass++)
        {
            for (var attempt = 0; ; attempt++)
            {
                await using (var upsert = new NpgsqlCommand(IngestSql.Upsert, connection, transaction))
                {
                    upsert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = pass });
                    upsert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = attempt });
                    upsert.Parameters.AddRange(VisibilitySql.ParameterValues(writer));
                    await using var reader = await upsert.ExecuteReaderAsync(ct);
                    while (await reader.ReadAsync(ct))
                    {
                        outcomes[reader.GetInt32(0)] = (IngestOutcome)reader.GetInt32(1);
                    }
                }

                var unsettled = UnsettledItems(rows, outcomes, pass);
                if (unsettled.Length == 0)
                {
                    break;
                }

                if (attempt + 1 >= MaxRaceAttempts)
                {
                    throw new InvalidOperationException($"Ingest could not settle {unsettled.Length} cables of pass {pass} after {MaxRaceAttempts} statements.");
                }

                // Lost an insert race: a concurrent batch committed the same id after this statement's snapshot.
                _logger.LogDebug("{Count} cables of pass {Pass} lost an insert race to a concurrent batch; re-running them", unsettled.Length, pass);
                await using var retry = new NpgsqlCommand(IngestSql.Retry, connection, transaction);
                retry.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = unsettled });
                await retry.ExecuteNonQueryAsync(ct);
            }
        }

        await transaction.CommitAsync(ct);

        var results = new StoreResult[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            results[i] = new StoreResult(rows[i].ReferenceId, outcomes[i]!.Value);
        }

        return results;
    }

    /// <summary>
    /// Copies cables that are all new straight into <c>cables</c> and its side tables, in one transaction. False, with
    /// nothing written, when one of them is stored already: checked first, and a concurrent batch that stores one
    /// in between makes the COPY fail on the primary key (or deadlock with it), which rolls back. The caller then upserts instead.
    /// </summary>
    private async Task<bool> TryCopyNewAsync(StagedRow[] rows, CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using (var probe = new NpgsqlCommand(IngestSql.AnyStored, connection))
        {
            probe.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. rows.Select(r => r.ReferenceId)] });
            if (await probe.ExecuteScalarAsync(ct) is true)
            {
                return false;
            }
        }

        try
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await using (var durable = new NpgsqlCommand(IngestSql.DurableCommit, connection, transaction))
            {
                await durable.ExecuteNonQueryAsync(ct);
            }

            await CopyNewAsync(connection, rows, ct);
            await transaction.CommitAsync(ct);
            return true;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected)
        {
            // A deadlock too: two batches copying the same new ids in different orders wait on each other's rows. The
            // upsert path takes them in reference id order, and retries.
            _logger.LogDebug("A concurrent batch stored one of {Count} new cables first ({Message}); upserting them instead", rows.Length, e.MessageText);
            return false;
        }
    }

    private static async Task CopyNewAsync(NpgsqlConnection connection, StagedRow[] rows, CancellationToken ct)
    {
        await using (var cables = await connection.BeginBinaryImportAsync(IngestSql.CopyCables, ct))
        {
            foreach (var row in rows)
            {
                await cables.StartRowAsync(ct);
                await WriteCableColumnsAsync(cables, row, ct);
                await cables.WriteAsync(0, NpgsqlDbType.Integer, ct); // revision_count
            }

            await cables.CompleteAsync(ct);
        }

        await using (var citations = await connection.BeginBinaryImportAsync(IngestSql.CopyCitations, ct))
        {
            foreach (var row in rows)
            {
                foreach (var cited in row.CitedIds)
                {
                    await citations.StartRowAsync(ct);
                    await citations.WriteAsync(row.ReferenceId, NpgsqlDbType.Text, ct);
                    await citations.WriteAsync(cited, NpgsqlDbType.Text, ct);
                }
            }

            await citations.CompleteAsync(ct);
        }
    }

    private static int[] UnsettledItems(StagedRow[] rows, IngestOutcome?[] outcomes, int pass)
    {
        List<int>? unsettled = null;
        for (var i = 0; i < rows.Length; i++)
        {
            if (rows[i].Pass == pass && outcomes[i] is null)
            {
                (unsettled ??= []).Add(i);
            }
        }

        return unsettled?.ToArray() ?? [];
    }

    private static async Task CopyAsync(NpgsqlConnection connection, StagedRow[] rows, CancellationToken ct)
    {
        await using var importer = await connection.BeginBinaryImportAsync(IngestSql.CopyStaging, ct);
        for (var i = 0; i < rows.Length; i++)
        {
            var row = rows[i];
            await importer.StartRowAsync(ct);
            await importer.WriteAsync(i, NpgsqlDbType.Integer, ct);
            await importer.WriteAsync(row.Pass, NpgsqlDbType.Integer, ct);
            await WriteCableColumnsAsync(importer, row, ct);
            await importer.WriteAsync(row.CitedIds, NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
        }

        await importer.CompleteAsync(ct);
    }

    /// <summary>The columns <c>cables</c> and the staging table share, in the order of <see cref="IngestSql.CableColumns"/>.</summary>
    private static async Task WriteCableColumnsAsync(NpgsqlBinaryImporter importer, StagedRow row, CancellationToken ct)
    {
        var cable = row.Cable;
        await importer.WriteAsync(row.ReferenceId, NpgsqlDbType.Text, ct);
        await importer.WriteAsync(ToStoredCreated(cable.Created), NpgsqlDbType.TimestampTz, ct);
        await importer.WriteAsync(cable.Origin, NpgsqlDbType.Text, ct);
        await importer.WriteAsync((short)cable.Classification.Level, NpgsqlDbType.Smallint, ct);
        await importer.WriteAsync(cable.Classification.Caveats.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
        await importer.WriteAsync(row.Tags, NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
        await importer.WriteAsync(cable.Subject, NpgsqlDbType.Text, ct);
        await importer.WriteAsync(row.Message, NpgsqlDbType.Bytea, ct);
        await importer.WriteAsync(cable.Body, NpgsqlDbType.Text, ct);
        await importer.WriteAsync(row.RawText, NpgsqlDbType.Text, ct);
        await importer.WriteAsync(row.ContentSha256, NpgsqlDbType.Bytea, ct);
        await importer.WriteAsync((short)row.Format, NpgsqlDbType.Smallint, ct);
        await importer.WriteAsync(row.Source, NpgsqlDbType.Text, ct);
    }

    /// <summary>UTC for timestamptz; a missing date-time group is stored as <c>-infinity</c> so it sorts first and keeps keyset order total.</summary>
    internal static DateTime ToStoredCreated(DateTime? created) => created is { } value ? ToUtc(value) : DateTime.MinValue;

    internal static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    /// <summary>One input item with what the statement needs computed on the client: hash, encoded fields, pass.</summary>
    private sealed record StagedRow(
        ParsedCable Cable,
        string ReferenceId,
        int Pass,
        string RawText,
        SourceFormat Format,
        string? Source,
        byte[] ContentSha256,
        string[] Tags,
        string[] CitedIds,
        byte[] Message)
    {
        public static StagedRow[] FromBatch(IReadOnlyList<CableToStore> batch)
        {
            var occurrences = new Dictionary<string, int>(batch.Count, StringComparer.Ordinal);
            var rows = new StagedRow[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                var (cable, rawText, format, source) = batch[i];
                var referenceId = cable.ReferenceId!;
                if (Validate(batch[i]) is { } problem)
                {
                    throw new ArgumentException($"Item {i} cannot be stored: {problem}", nameof(batch));
                }

                occurrences.TryGetValue(referenceId, out var pass);
                occurrences[referenceId] = pass + 1;

                rows[i] = new StagedRow(
                    cable,
                    referenceId,
                    pass,
                    rawText,
                    format,
                    source,
                    Sha256OfUtf8(rawText),
                    [.. cable.Tags.Select(t => t.Value)],
                    [.. cable.References.Where(r => r.Kind == ReferenceKind.Cable && !string.IsNullOrEmpty(r.Id)).Select(r => r.Id!).Distinct(StringComparer.Ordinal)],
                    CableEncoding.EncodeParsedFields(cable));
            }

            return rows;
        }

        /// <summary>SHA-256 of the text's UTF-8, encoded into a pooled buffer: a cable's bytes are not kept past the hash.</summary>
        private static byte[] Sha256OfUtf8(string text)
        {
            var utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
            try
            {
                return SHA256.HashData(utf8.AsSpan(0, Encoding.UTF8.GetBytes(text, utf8)));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(utf8);
            }
        }
    }
}
