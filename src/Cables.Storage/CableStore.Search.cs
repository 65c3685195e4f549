using Cables.Storage.Schema;
using Npgsql;

namespace Cables.Storage;

public sealed partial class CableStore
{
    /// <summary>
    /// Entries of <c>cable_search_queue</c> to work on: locked, so a concurrent indexer skips them and a revision of one
    /// of these cables waits for this transaction before it queues the cable again.
    /// </summary>
    internal const string LockQueuedSql = "SELECT reference_id FROM cable_search_queue LIMIT $1 FOR UPDATE SKIP LOCKED";

    /// <summary>
    /// The vectors of the locked cables ($1), read in a statement that starts after the lock: a revision that commits
    /// before it is seen, one that commits after it has queued the cable again. A cable deleted meanwhile has no row.
    /// </summary>
    internal const string IndexLockedSql = $"""
        WITH indexed AS (
            INSERT INTO cable_search (reference_id, search)
            SELECT c.reference_id, {CablesDbContext.SearchVectorSql} FROM cables c WHERE c.reference_id = ANY($1)
            ON CONFLICT (reference_id) DO UPDATE SET search = excluded.search
            RETURNING 1
        ),
        dequeued AS (
            DELETE FROM cable_search_queue WHERE reference_id = ANY($1)
        )
        SELECT count(*)::int FROM indexed
        """;

    /// <summary>
    /// Computes the full-text vectors of up to <paramref name="maxCables"/> queued cables, in one transaction, and
    /// returns how many it computed: 0 when the queue is empty or every entry is in another indexer's hands.
    /// A cable is not found by text until its vector is computed; triggers on <c>cables</c> queue every written
    /// cable, whoever writes it, so callers may run this from any number of processes at once.
    /// </summary>
    public async Task<int> IndexQueuedSearchAsync(int maxCables, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCables, 1);
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);

        // Not durable: a commit lost in a crash loses its dequeue with it, and the cables are indexed again.
        // work_mem bounds the batch in which GIN merges its pending list into the tree.
        await using (var settings = new NpgsqlCommand("SET LOCAL synchronous_commit = off; SET LOCAL work_mem = '64MB'", connection, transaction))
        {
            await settings.ExecuteNonQueryAsync(ct);
        }

        var ids = new List<string>(Math.Min(maxCables, 4096));
        await using (var lockQueued = new NpgsqlCommand(LockQueuedSql, connection, transaction))
        {
            lockQueued.Parameters.Add(new NpgsqlParameter<int> { TypedValue = maxCables });
            await using var reader = await lockQueued.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                ids.Add(reader.GetString(0));
            }
        }

        if (ids.Count == 0)
        {
            return 0;
        }

        int indexed;
        await using (var index = new NpgsqlCommand(IndexLockedSql, connection, transaction))
        {
            index.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. ids] });
            indexed = (int)(await index.ExecuteScalarAsync(ct))!;
        }

        await transaction.CommitAsync(ct);
        return indexed;
    }

    /// <summary>Computes every queued vector, batch after batch, and returns how many; for tools and tests that need text queries to see all cables.</summary>
    public async Task<long> IndexAllQueuedSearchAsync(CancellationToken ct)
    {
        long total = 0;
        for (int indexed; (indexed = await IndexQueuedSearchAsync(5000, ct)) > 0;)
        {
            total += indexed;
        }

        return total;
    }

    /// <summary>How many cables wait for their full-text vector.</summary>
    public async Task<long> CountQueuedSearchAsync(CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand("SELECT count(*) FROM cable_search_queue");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}
