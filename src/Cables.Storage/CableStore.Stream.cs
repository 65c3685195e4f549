using Npgsql;

namespace Cables.Storage;

public sealed partial class CableStore
{
    /// <summary>
    /// Where one stream stands: the keyset cursor of the last row read, or, for a stream whose filters a GIN index
    /// serves, the ordered keys read ahead of the rows (after its first chunk). One chunk is fetched at a time.
    /// </summary>
    private sealed class StreamPlan(CableStore store, CableQuery query)
    {
        private readonly bool _keysFirst =
            !string.IsNullOrWhiteSpace(query.Text) || query.AllTags.Count > 0 || query.AnyTags.Count > 0 || !string.IsNullOrEmpty(query.Cites);

        private int _remaining = query.Limit ?? int.MaxValue;
        private CableCursor? _after = query.After;
        private string[] _keys = [];
        private int _keysRead;
        private bool _keysExhausted;
        private bool _started;

        /// <summary>True once the last chunk has been fetched.</summary>
        public bool IsDone { get; private set; }

        public async Task<IReadOnlyList<StoredCable>> NextAsync(int size, CancellationToken ct)
        {
            size = Math.Min(size, _remaining);
            if (size <= 0)
            {
                IsDone = true;
                return [];
            }

            // The first chunk is a keyset query even for GIN-served filters: for a common tag or word an ordered index
            // scan finds a few matches at once, where reading the ordered keys means finding and sorting every match.
            var chunk = _keysFirst && _started ? await NextByKeysAsync(size, ct) : await NextInOrderAsync(size, ct);
            _started = true;
            _remaining -= chunk.Count;
            IsDone |= _remaining <= 0;
            return chunk;
        }

        private async Task<List<StoredCable>> NextInOrderAsync(int size, CancellationToken ct)
        {
            var sql = CableQuerySql.Filter(query, _after);
            var chunk = await store.ReadCablesAsync(sql.Select(query, size), sql.AddParametersTo, query.Full, size, ct);
            if (chunk.Count < size)
            {
                IsDone = true;
            }
            else
            {
                var last = chunk[^1].Cable;
                _after = new CableCursor(ToStoredCreated(last.Created), last.ReferenceId!);
            }

            return chunk;
        }

        private async Task<List<StoredCable>> NextByKeysAsync(int size, CancellationToken ct)
        {
            if (_keysRead == _keys.Length)
            {
                if (_keysExhausted || !await ReadKeysAsync(ct))
                {
                    IsDone = true;
                    return [];
                }
            }

            var ids = _keys.AsSpan(_keysRead, Math.Min(size, _keys.Length - _keysRead)).ToArray();
            _keysRead += ids.Length;
            IsDone = _keysExhausted && _keysRead == _keys.Length;
            return await store.ReadCablesAsync(
                CableQuerySql.SelectByIds(query),
                command => command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ids }),
                query.Full,
                ids.Length,
                ct);
        }

        /// <summary>Reads the next run of ordered keys after the cursor; false when there are none.</summary>
        private async Task<bool> ReadKeysAsync(CancellationToken ct)
        {
            var limit = Math.Min(store.KeyChunkSize, _remaining);
            var sql = CableQuerySql.Filter(query, _after);
            await using var command = store._dataSource.CreateCommand(sql.SelectKeys(query, limit));
            sql.AddParametersTo(command);
            var keys = new List<string>(Math.Min(limit, 4096));
            var created = DateTime.MinValue;
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    created = reader.GetFieldValue<DateTime>(0);
                    keys.Add(reader.GetString(1));
                }
            }

            _keys = [.. keys];
            _keysRead = 0;
            _keysExhausted = keys.Count < limit;
            if (keys.Count > 0)
            {
                _after = new CableCursor(created, keys[^1]);
            }

            return keys.Count > 0;
        }
    }

    private async Task<List<StoredCable>> ReadCablesAsync(string sql, Action<NpgsqlCommand> addParameters, bool full, int expected, CancellationToken ct)
    {
        var chunk = new List<StoredCable>(expected);
        await using var command = _dataSource.CreateCommand(sql);
        addParameters(command);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            chunk.Add(ReadCable(reader, full));
        }

        return chunk;
    }
}
