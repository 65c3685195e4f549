using Cables.Parsing.Model;
using Cables.Storage.ReadModel;
using Npgsql;

namespace Cables.Storage;

public sealed partial class CableStore
{
    /// <summary>The channel every transaction that logged a change notifies on commit; the payload is its commit number.</summary>
    public const string ChangeChannel = "cable_changes";

    /// <summary>
    /// The horizon of the change log: the commit number after the newest visible commit. Every change below it is
    /// visible, and no change below it can appear later, because commits are numbered in commit order; no transaction
    /// still running holds it back.
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
    /// <paramref name="horizon"/> (a value of <see cref="GetChangeHorizonAsync"/>), in log order, each with the filter
    /// fields it logged. Fewer than the limit means every change below the horizon was read: the reader then stands at
    /// <see cref="ChangePosition.AtHorizon"/>. <see cref="ReadChangedCablesAsync"/> reads the cables of those wanted.
    /// </summary>
    /// <exception cref="ChangePositionExpiredException"><paramref name="after"/> is older than what pruning kept.</exception>
    public async Task<IReadOnlyList<CableChange>> ReadChangesAsync(ChangePosition after, long horizon, int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var changes = new List<CableChange>(Math.Min(limit, 1024));
        await using var command = _dataSource.CreateCommand(ChangeSql.Read);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after.Commit });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after.Seq });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = horizon });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (reader.GetBoolean(ChangeSql.ReadExpired))
            {
                await reader.DisposeAsync();
                throw new ChangePositionExpiredException(after, await GetPrunedPositionAsync(ct));
            }

            if (reader.IsDBNull(ChangeSql.ReadCommit))
            {
                break; // no change after the position: the one row of the marker check
            }

            changes.Add(new CableChange(
                new ChangePosition(reader.GetInt64(ChangeSql.ReadCommit), reader.GetInt64(ChangeSql.ReadSeq)),
                (ChangeKind)reader.GetInt16(ChangeSql.ReadKind),
                reader.GetString(ChangeSql.ReadReferenceId),
                FilterColumns.Read(reader, ChangeSql.ReadFields)));
        }

        return changes;
    }

    /// <summary>
    /// The cables of <paramref name="changes"/> as they are now, in the BASIC view, in the order of the changes; a change
    /// whose cable was deleted since is left out. One statement for all of them.
    /// </summary>
    public async Task<IReadOnlyList<ChangedCable>> ReadChangedCablesAsync(IReadOnlyList<CableChange> changes, CancellationToken ct)
    {
        if (changes.Count == 0)
        {
            return [];
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            ids.Add(change.ReferenceId);
        }

        var cables = new Dictionary<string, (EncodedCable Cable, FilterFields Fields)>(ids.Count, StringComparer.Ordinal);
        await using (var command = _dataSource.CreateCommand(ChangeSql.Cables))
        {
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. ids] });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var cable = CableColumns.ReadRow(reader, CableTexts.None);
                cables[cable.ReferenceId] = (cable, FilterColumns.Read(reader, ChangeSql.CablesFields));
            }
        }

        var changed = new List<ChangedCable>(changes.Count);
        foreach (var change in changes)
        {
            if (cables.TryGetValue(change.ReferenceId, out var now))
            {
                changed.Add(new ChangedCable(change, now.Cable, now.Fields));
            }
        }

        return changed;
    }

    /// <summary>
    /// Deletes the commits, in commit order, before the first whose transaction started within
    /// <paramref name="retention"/>, with their changes; leaves a marker at the last position deleted and returns the
    /// changes deleted. One replica prunes at a time; a call that finds another pruning returns 0.
    /// </summary>
    public async Task<long> PruneChangesAsync(TimeSpan retention, CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var tryLock = new NpgsqlCommand(ChangeSql.TryPruneLock, connection, transaction))
        {
            if (!(bool)(await tryLock.ExecuteScalarAsync(ct))!)
            {
                return 0;
            }
        }

        long commit, seq;
        await using (var cutoff = new NpgsqlCommand(ChangeSql.PruneCutoff, connection, transaction))
        {
            cutoff.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = retention });
            await using var reader = await cutoff.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return 0;
            }

            (commit, seq) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(ChangeSql.Prune) { Parameters = { new NpgsqlParameter<long> { TypedValue = commit } } },
                new NpgsqlBatchCommand(ChangeSql.MarkCommit) { Parameters = { new NpgsqlParameter<long> { TypedValue = commit } } },
                new NpgsqlBatchCommand(ChangeSql.MarkChange) { Parameters = { new NpgsqlParameter<long> { TypedValue = seq } } },
            },
        };
        var pruned = (long)(await batch.ExecuteScalarAsync(ct))!;
        await transaction.CommitAsync(ct);
        return pruned;
    }
}
