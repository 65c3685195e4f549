using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cables.Parsing.Model;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Cables.Storage;

public sealed partial class CableStore
{
    private const int MaxTransactionAttempts = 8;
    private const int MaxRaceAttempts = 10;

    /// <summary>
    /// Stores a batch in one transaction: binary COPY into a staging table, then one set-based upsert per pass
    /// (a pass holds each reference id once; a repeated id is applied after its earlier occurrence, in input order).
    /// Returns one result per input item, in input order, after the commit. Serialization failures and deadlocks
    /// against concurrent batches are retried with the whole transaction.
    /// </summary>
    public async Task<IReadOnlyList<StoreResult>> IngestAsync(IReadOnlyList<CableToStore> batch, CancellationToken ct)
    {
        if (batch.Count == 0)
        {
            return [];
        }

        var rows = StagedRow.FromBatch(batch);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await IngestOnceAsync(rows, ct);
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
        return item.RawText.Contains('\0', StringComparison.Ordinal)
            || cable.Body.Contains('\0', StringComparison.Ordinal)
            || (cable.Subject?.Contains('\0', StringComparison.Ordinal) ?? false)
            || cable.ReferenceId.Contains('\0', StringComparison.Ordinal)
            || (cable.Origin?.Contains('\0', StringComparison.Ordinal) ?? false)
            ? "its text contains a NUL character (U+0000), which PostgreSQL cannot store"
            : null;
    }

    private static bool IsRetryable(PostgresException e) => e.SqlState is
        PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.UniqueViolation;

    private async Task<IReadOnlyList<StoreResult>> IngestOnceAsync(StagedRow[] rows, CancellationToken ct)
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
            var cable = row.Cable;
            await importer.StartRowAsync(ct);
            await importer.WriteAsync(i, NpgsqlDbType.Integer, ct);
            await importer.WriteAsync(row.Pass, NpgsqlDbType.Integer, ct);
            await importer.WriteAsync(row.ReferenceId, NpgsqlDbType.Text, ct);
            await importer.WriteAsync(ToStoredCreated(cable.Created), NpgsqlDbType.TimestampTz, ct);
            await importer.WriteAsync(cable.Origin, NpgsqlDbType.Text, ct);
            await importer.WriteAsync(cable.Header.From, NpgsqlDbType.Text, ct);
            await importer.WriteAsync((short)cable.Classification.Level, NpgsqlDbType.Smallint, ct);
            await importer.WriteAsync(cable.Classification.Label, NpgsqlDbType.Text, ct);
            await importer.WriteAsync(cable.Classification.Caveats.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
            await importer.WriteAsync(row.Tags, NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
            await importer.WriteAsync(cable.Subject, NpgsqlDbType.Text, ct);
            await importer.WriteAsync(cable.Summary, NpgsqlDbType.Text, ct);
            await importer.WriteAsync(row.Header, NpgsqlDbType.Jsonb, ct);
            await importer.WriteAsync(row.Details, NpgsqlDbType.Jsonb, ct);
            await importer.WriteAsync(row.Paragraphs, NpgsqlDbType.Jsonb, ct);
            await importer.WriteAsync(cable.Body, NpgsqlDbType.Text, ct);
            await importer.WriteAsync(row.RawText, NpgsqlDbType.Text, ct);
            await importer.WriteAsync(row.ContentSha256, NpgsqlDbType.Bytea, ct);
            await importer.WriteAsync((short)row.Format, NpgsqlDbType.Smallint, ct);
            await importer.WriteAsync(row.CitedIds, NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
        }

        await importer.CompleteAsync(ct);
    }

    /// <summary>UTC for timestamptz; a missing date-time group is stored as <c>-infinity</c> so it sorts first and keeps keyset order total.</summary>
    internal static DateTime ToStoredCreated(DateTime? created) => created is { } value ? ToUtc(value) : DateTime.MinValue;

    internal static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    /// <summary>One input item with what the statement needs computed on the client: hash, JSON, pass.</summary>
    private sealed record StagedRow(
        ParsedCable Cable,
        string ReferenceId,
        int Pass,
        string RawText,
        SourceFormat Format,
        byte[] ContentSha256,
        string[] Tags,
        string[] CitedIds,
        string Header,
        string Details,
        string Paragraphs)
    {
        public static StagedRow[] FromBatch(IReadOnlyList<CableToStore> batch)
        {
            var occurrences = new Dictionary<string, int>(batch.Count, StringComparer.Ordinal);
            var rows = new StagedRow[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                var (cable, rawText, format) = batch[i];
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
                    SHA256.HashData(Encoding.UTF8.GetBytes(rawText)),
                    [.. cable.Tags.Select(t => t.Value)],
                    [.. cable.References.Where(r => r.Kind == ReferenceKind.Cable && !string.IsNullOrEmpty(r.Id)).Select(r => r.Id!).Distinct(StringComparer.Ordinal)],
                    JsonSerializer.Serialize(cable.Header, CableJsonContext.Default.TelegramHeader),
                    JsonSerializer.Serialize(CableDetails.From(cable), CableJsonContext.Default.CableDetails),
                    JsonSerializer.Serialize(cable.Paragraphs, CableJsonContext.Default.IReadOnlyListParagraph));
            }

            return rows;
        }
    }
}
