using System.Diagnostics;
using Npgsql;

namespace Cables.Bench.Load;

/// <summary>
/// The ceiling the ingest path is held against: the same rows COPY'd straight into the same schema, then their
/// full-text vectors computed in the database, so the baseline ends where the ingest does: every query answering.
/// "Same rows": exported (binary COPY, off the clock) from the database the service filled, so they are the
/// parser's and the store's own values. "Same schema": a fresh database with the store's migrated schema
/// (run.sh restores it with pg_dump --schema-only): tables, indexes, constraints, triggers and storage settings.
/// The vectors (<c>cable_search</c>) are not copied but computed, as the service's indexer computes them, by one
/// INSERT … SELECT per session over a share of the rows, with the indexer's work_mem; the queue the triggers filled is emptied with them.
/// </summary>
public static class RawCopyBaseline
{
    private const string VectorTable = "cable_search";
    private const string QueueTable = "cable_search_queue";
    private const string MainTable = "cables";
    private const string DefaultVector = "setweight(to_tsvector('english', coalesce(subject, '')), 'A') || to_tsvector('english', body)";

    public sealed record TableLoad(string Table, long Rows, long ExportBytes, int Parts);

    public sealed record VectorCheck(string Expression, long SampledRows, long Mismatches);

    /// <summary><see cref="Seconds"/> is the whole baseline: <see cref="RowsSeconds"/> of COPY, then <see cref="VectorSeconds"/> of vectors.</summary>
    public sealed record Result(
        int Sessions, long Cables, long Rows, long ExportBytes, long CsvBytes, double Seconds, double RowsSeconds, double VectorSeconds,
        double CablesPerSecond, double CsvMegabytesPerSecond, long WalBytes, double PostgresCpuSeconds, IReadOnlyList<TableLoad> Tables, VectorCheck Vector,
        double PostgresRowsCpuSeconds = 0);

    private sealed record Table(string Name, string[] Columns, bool IsMain);

    private sealed record Part(Table Table, int Index, int Count, string File);

    public static async Task RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var manifest = options.LoadManifest();
        var sessions = options.GetInt("sessions", Environment.ProcessorCount);
        var workDirectory = options.Get("work-dir");
        Directory.CreateDirectory(workDirectory);

        await using var source = await OpenAsync(options.Get("source"), cancellationToken);
        var expression = options.Get("tsvector-expression", DefaultVector);
        var tables = await ListTablesAsync(source, cancellationToken);

        // The baseline's expression must compute what the store's indexer computed: compare on a sample of its vectors.
        var (sampled, mismatches) = await ScalarPairAsync(source,
            $"SELECT count(*), count(*) FILTER (WHERE s.search IS DISTINCT FROM ({expression})) FROM {VectorTable} s TABLESAMPLE BERNOULLI (1) REPEATABLE (7) JOIN {MainTable} USING (reference_id)",
            cancellationToken);
        var vector = new VectorCheck(expression, sampled, mismatches);
        Console.Error.WriteLine($"copy: {mismatches} of {sampled} sampled vectors differ from the baseline expression");

        // Off the clock: export every table, the main one split into one part per session.
        var parts = new List<Part>();
        foreach (var table in tables)
        {
            var count = table.IsMain ? sessions : 1;
            for (var i = 0; i < count; i++)
            {
                var part = new Part(table, i, count, Path.Combine(workDirectory, $"{table.Name}.{i}.bin"));
                await ExportAsync(source, part, cancellationToken);
                parts.Add(part);
            }
        }
        var exportBytes = parts.Sum(p => new FileInfo(p.File).Length);
        Console.Error.WriteLine($"copy: exported {tables.Count} tables, {exportBytes / 1e6:N0} MB of binary COPY data");

        await using var target = await OpenAsync(options.Get("target"), cancellationToken);
        await ExecuteAsync(target, "CHECKPOINT", cancellationToken);
        var walStart = await ScalarAsync<string>(target, "SELECT pg_current_wal_lsn()::text", cancellationToken);

        // On the clock: the main table's parts in parallel sessions, then the tables that refer to it, then the vectors.
        var connections = new List<NpgsqlConnection>();
        for (var i = 0; i < sessions; i++)
            connections.Add(await OpenAsync(options.Get("target"), cancellationToken));
        var cpuBefore = CpuTimes.Read(0);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(parts.Where(p => p.Table.IsMain).Select((p, i) => ImportAsync(connections[i], p, cancellationToken)));
        var others = new System.Collections.Concurrent.ConcurrentQueue<Part>(parts.Where(p => !p.Table.IsMain));
        await Task.WhenAll(connections.Select(async c =>
        {
            while (others.TryDequeue(out var part))
                await ImportAsync(c, part, cancellationToken);
        }));
        var rowsSeconds = clock.Elapsed.TotalSeconds;
        // PostgreSQL's CPU for the rows alone, to set beside what it spends over the ingest job.
        var rowsCpu = CpuTimes.Read(0) - cpuBefore;
        // work_mem as the service's indexer sets it: it bounds the batches in which GIN merges its pending list.
        await Task.WhenAll(connections.Select((c, i) => ExecuteAsync(c,
            $"""
            SET work_mem = '64MB';
            WITH indexed AS (
                INSERT INTO {VectorTable} (reference_id, search)
                SELECT reference_id, {expression} FROM {MainTable} WHERE (hashtext(reference_id) & 2147483647) % {sessions} = {i}
                RETURNING reference_id
            )
            DELETE FROM {QueueTable} q USING indexed v WHERE q.reference_id = v.reference_id
            """, cancellationToken)));
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = CpuTimes.Read(0) - cpuBefore;
        foreach (var connection in connections)
            await connection.DisposeAsync();

        var walBytes = await ScalarAsync<decimal>(target, $"SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '{walStart}')", cancellationToken);
        var loads = new List<TableLoad>();
        foreach (var table in tables)
        {
            var rows = await ScalarAsync<long>(target, $"SELECT count(*) FROM {Quote(table.Name)}", cancellationToken);
            var expected = await ScalarAsync<long>(source, $"SELECT count(*) FROM {Quote(table.Name)}", cancellationToken);
            if (rows != expected)
                throw new InvalidOperationException($"{table.Name}: {rows} rows loaded, {expected} in the source.");
            loads.Add(new TableLoad(table.Name, rows, parts.Where(p => p.Table == table).Sum(p => new FileInfo(p.File).Length), parts.Count(p => p.Table == table)));
        }
        var cables = loads.Single(l => l.Table == MainTable).Rows;
        var vectors = await ScalarAsync<long>(target, $"SELECT count(*) FROM {VectorTable}", cancellationToken);
        var queued = await ScalarAsync<long>(target, $"SELECT count(*) FROM {QueueTable}", cancellationToken);
        if (vectors != cables || queued != 0)
            throw new InvalidOperationException($"{vectors} vectors computed for {cables} cables, {queued} left queued.");
        loads.Add(new TableLoad(VectorTable, vectors, 0, 0));

        var result = new Result(sessions, cables, loads.Sum(l => l.Rows), exportBytes, manifest.Bytes, seconds, rowsSeconds, seconds - rowsSeconds,
            cables / seconds, manifest.Bytes / 1e6 / seconds, (long)walBytes, cpu.Postgres, loads, vector, rowsCpu.Postgres);
        await options.WriteResultAsync("copy", result, cancellationToken);
        Console.Error.WriteLine($"copy: {cables:N0} cables ({result.Rows:N0} rows) in {seconds:N1} s ({rowsSeconds:N1} s COPY, {seconds - rowsSeconds:N1} s vectors) with {sessions} sessions: {result.CablesPerSecond:N0} cables/s, {result.CsvMegabytesPerSecond:N1} MB/s of CSV, {walBytes / 1_000_000_000m:N1} GB WAL, PostgreSQL CPU {cpu.Postgres:N0} s ({rowsCpu.Postgres:N0} s for the rows)");

        foreach (var part in parts)
            File.Delete(part.File);
    }

    private static async Task<List<Table>> ListTablesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        // Every column COPY can write (not generated) of every table but the vectors and their queue, which the baseline computes.
        await using var command = new NpgsqlCommand(
            $"""
            SELECT c.relname, array_agg(a.attname ORDER BY a.attnum)
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
            WHERE n.nspname = 'public' AND c.relkind = 'r' AND NOT c.relispartition
              -- The change log is written by the triggers on cables during the COPY itself, as during ingest.
              AND c.relname NOT IN ('__EFMigrationsHistory', '{VectorTable}', '{QueueTable}', 'cable_changes')
            GROUP BY c.relname ORDER BY c.relname
            """, connection);
        var tables = new List<Table>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var name = reader.GetString(0);
            tables.Add(new Table(name, reader.GetFieldValue<string[]>(1), name == MainTable));
        }
        return tables;
    }

    private static async Task ExportAsync(NpgsqlConnection connection, Part part, CancellationToken cancellationToken)
    {
        var columns = string.Join(", ", part.Table.Columns.Select(Quote));
        var where = part.Count == 1 ? "" : $" WHERE (hashtext({Quote(part.Table.Columns[0])}::text) & 2147483647) % {part.Count} = {part.Index}";
        await using var file = File.Create(part.File);
        await using var copy = await connection.BeginRawBinaryCopyAsync($"COPY (SELECT {columns} FROM {Quote(part.Table.Name)}{where}) TO STDOUT (FORMAT BINARY)", cancellationToken);
        await copy.CopyToAsync(file, cancellationToken);
    }

    private static async Task ImportAsync(NpgsqlConnection connection, Part part, CancellationToken cancellationToken)
    {
        var columns = string.Join(", ", part.Table.Columns.Select(Quote));
        await using var file = new FileStream(part.File, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        await using var copy = await connection.BeginRawBinaryCopyAsync($"COPY {Quote(part.Table.Name)} ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        await file.CopyToAsync(copy, cancellationToken);
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<(long, long)> ScalarPairAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
