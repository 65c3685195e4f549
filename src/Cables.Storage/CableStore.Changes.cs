using Cables.Parsing.Model;
using Cables.Storage.ReadModel;
using Npgsql;

namespace Cables.Storage;

public sealed partial class CableStore
{
    /// <summary>The channel every transaction that logged a change notifies on commit; the payload is its transaction id.</summary>
    public const string ChangeChannel = "cable_changes";

    /// <summary>
    /// The safe horizon of the change log: every change of a transaction below it is committed and visible, and no
    /// change below it can appear later. Reading only below it is what keeps a reader from skipping a change whose
    /// transaction drew its number early and committed late. Transactions that never log a change (the search indexer,
    /// the pruner) do not hold it back.
    /// </summary>
    public async Task<long> GetChangeHorizonAsync(CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(ChangeSql.Horizon);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The position up to which changes were pruned; <see cref="ChangePosition.Start"/> when none were.</summary>
    public async Task<ChangePosition> GetPrunedPositionAsync(CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(ChangeSql.Pruned);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) && reader.GetInt16(2) == 0
            ? new ChangePosition(reader.GetInt64(0), reader.GetInt64(1))
            : ChangePosition.Start;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> changes after <paramref name="after"/> of transactions below
    /// <paramref name="horizon"/> (a value of <see cref="GetChangeHorizonAsync"/>), in log order, each with its cable as
    /// it is now in <paramref name="texts"/>. Fewer than the limit means every change below the horizon was read: the
    /// reader then stands at <see cref="ChangePosition.AtHorizon"/>. A change whose cable was deleted since is left out.
    /// </summary>
    /// <exception cref="ChangePositionExpiredException"><paramref name="after"/> is older than what pruning kept.</exception>
    public async Task<IReadOnlyList<CableChange>> ReadChangesAsync(
        ChangePosition after, long horizon, int limit, CableTexts texts, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var changes = new List<CableChange>(Math.Min(limit, 1024));
        await using var command = _dataSource.CreateCommand(ChangeSql.Read(texts));
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after.Xid });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after.Seq });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = horizon });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        await using var reader = await command.ExecuteReaderAsync(ct);
        const int X = ChangeSql.XidOrdinal;
        while (await reader.ReadAsync(ct))
        {
            if (reader.GetBoolean(X + 7))
            {
                await reader.DisposeAsync();
                throw new ChangePositionExpiredException(after, await GetPrunedPositionAsync(ct));
            }

            if (reader.IsDBNull(X))
            {
                break; // no change after the position: the one row of the marker check
            }

            changes.Add(new CableChange(
                new ChangePosition(reader.GetInt64(X), reader.GetInt64(X + 1)),
                (ChangeKind)reader.GetInt16(X + 2),
                CableColumns.ReadRow(reader, texts),
                reader.IsDBNull(X + 3) ? null : reader.GetString(X + 3),
                (ClassificationLevel)reader.GetInt16(X + 4),
                reader.GetFieldValue<string[]>(X + 5),
                reader.GetFieldValue<string[]>(X + 6)));
        }

        return changes;
    }

    /// <summary>
    /// Deletes the changes of transactions that started more than <paramref name="retention"/> ago (below the safe
    /// horizon), leaving a marker at the newest position deleted, and returns the rows deleted. One replica prunes at a
    /// time; a call that finds another pruning returns 0.
    /// </summary>
    public async Task<long> PruneChangesAsync(TimeSpan retention, CancellationToken ct)
    {
        var horizon = await GetChangeHorizonAsync(ct);
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var declare = new NpgsqlCommand($"{ChangeSql.DeclareQuiet}; {ChangeSql.TryPruneLock}", connection, transaction))
        {
            await using var reader = await declare.ExecuteReaderAsync(ct);
            await reader.NextResultAsync(ct);
            if (!await reader.ReadAsync(ct) || !reader.GetBoolean(0))
            {
                return 0;
            }
        }

        long pruned;
        await using (var prune = new NpgsqlCommand(ChangeSql.Prune, connection, transaction))
        {
            prune.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = retention });
            prune.Parameters.Add(new NpgsqlParameter<long> { TypedValue = horizon });
            pruned = (long)(await prune.ExecuteScalarAsync(ct))!;
        }

        await transaction.CommitAsync(ct);
        return pruned;
    }
}
