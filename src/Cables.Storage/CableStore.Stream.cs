using Cables.Storage.ReadModel;
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
        private readonly string _columns = CableColumns.For(query.Texts);
        private readonly bool _keysFirst =
            !string.IsNullOrWhiteSpace(query.Text) || query.AllTags.Count > 0 || query.AnyTags.Count > 0 || !string.IsNullOrEmpty(query.Cites);

        private int _remaining = query.Limit ?? int.MaxValue;
        private CableCursor? _after = query.After;
        private string[] _keys = [];
        private string[] _locations = [];
        private int _keysRead;
        private bool _keysExhausted;
        private bool _started;

        /// <summary>True once the last chunk has been fetched.</summary>
        public bool IsDone { get; private set; }

        public async Task<List<EncodedCable>> NextAsync(int size, CancellationToken ct)
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

        private async Task<List<EncodedCable>> NextInOrderAsync(int size, CancellationToken ct)
        {
            var sql = CableQuerySql.Filter(query, _after);
            var chunk = await Read(sql.Select(_columns, query, size), sql.AddParametersTo, size, ct);
            if (chunk.Count < size)
            {
                IsDone = true;
            }
            else
            {
                _after = KeyOf(chunk[^1]);
            }

            return chunk;
        }

        private async Task<List<EncodedCable>> NextByKeysAsync(int size, CancellationToken ct)
        {
            if (_keysRead == _keys.Length)
            {
                if (_keysExhausted || !await ReadKeysAsync(ct))
                {
                    IsDone = true;
                    return [];
                }
            }

            var count = Math.Min(size, _keys.Length - _keysRead);
            var ids = _keys.AsSpan(_keysRead, count).ToArray();
            var locations = _locations.AsSpan(_keysRead, count).ToArray();
            _keysRead += count;
            IsDone = _keysExhausted && _keysRead == _keys.Length;

            // By location: a primary-key probe per row cost PostgreSQL about as much as the rest of the row's read.
            List<NpgsqlParameter> byLocation =
            [
                new NpgsqlParameter<string[]> { TypedValue = locations },
                new NpgsqlParameter<string[]> { TypedValue = ids },
            ];
            var chunk = await Read(CableQuerySql.SelectByLocations(_columns, query, byLocation), command => command.Parameters.AddRange(byLocation.ToArray()), count, ct);
            if (chunk.Count == count)
            {
                return chunk;
            }

            // Rows written since the keys were read lie elsewhere now; they are read as they are now, as by a later query.
            var found = chunk.Select(row => row.ReferenceId).ToHashSet(StringComparer.Ordinal);
            string[] moved = [.. ids.Where(id => !found.Contains(id))];
            List<NpgsqlParameter> byId = [new NpgsqlParameter<string[]> { TypedValue = moved }];
            chunk.AddRange(await Read(CableQuerySql.SelectByIds(_columns, query, byId), command => command.Parameters.AddRange(byId.ToArray()), moved.Length, ct));
            var direction = query.Descending ? -1 : 1;
            chunk.Sort((a, b) => direction * Compare(KeyOf(a), KeyOf(b)));
            return chunk;
        }

        private Task<List<EncodedCable>> Read(string sql, Action<NpgsqlCommand> addParameters, int expected, CancellationToken ct) =>
            store.ReadAsync(sql, addParameters, query.Texts, expected, ct);

        private static CableCursor KeyOf(EncodedCable cable) => new(cable.Created, cable.ReferenceId);

        private static int Compare(CableCursor a, CableCursor b)
        {
            var byCreated = a.Created.CompareTo(b.Created);
            return byCreated != 0 ? byCreated : string.CompareOrdinal(a.ReferenceId, b.ReferenceId);
        }

        /// <summary>Reads the next run of ordered keys after the cursor; false when there are none.</summary>
        private async Task<bool> ReadKeysAsync(CancellationToken ct)
        {
            var limit = Math.Min(store.KeyChunkSize, _remaining);
            var sql = CableQuerySql.Filter(query, _after);
            await using var command = store._dataSource.CreateCommand(sql.SelectKeys(query, limit));
            sql.AddParametersTo(command);
            var keys = new List<string>(Math.Min(limit, 4096));
            var locations = new List<string>(keys.Capacity);
            var created = DateTime.MinValue;
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    created = reader.GetFieldValue<DateTime>(0);
                    keys.Add(reader.GetString(1));
                    locations.Add(reader.GetString(2));
                }
            }

            _keys = [.. keys];
            _locations = [.. locations];
            _keysRead = 0;
            _keysExhausted = keys.Count < limit;
            if (keys.Count > 0)
            {
                _after = new CableCursor(created, keys[^1]);
            }

            return keys.Count > 0;
        }
    }
}
