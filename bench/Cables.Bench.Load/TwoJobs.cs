using Cables.Parsing.Formats;
using Npgsql;

namespace Cables.Bench.Load;

/// <summary>
/// Two `cablectl ingest` jobs at once, through two service instances on one database: <c>split</c> cuts the set into two
/// halves at a row boundary (byte for byte, so each half is still cables.csv); <c>two-jobs-check</c> compares the
/// database the two jobs filled with the one the single job filled.
/// </summary>
public static class TwoJobs
{
    /// <summary>What run.sh records of the two jobs, and whether their rows equal the single job's.</summary>
    public sealed record Result(double Seconds, int[] ExitCodes, long Cables, long SingleJobCables, bool SameCables, bool SameReferences, bool SameRevisions);

    public static async Task SplitAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var csv = options.Get("csv");
        var rows = new List<long>();
        using (var reader = new StreamReader(csv))
        {
            rows.AddRange(CablesCsv.Read(reader).Select(row => row.LineNumber));
        }

        // The first line of the middle row, as a byte offset: the file's rows are cut there, never inside a record.
        var line = rows[rows.Count / 2];
        long offset = 0;
        await using (var input = File.OpenRead(csv))
        {
            var buffer = new byte[1 << 20];
            var newlines = 0L;
            int read;
            while (newlines < line - 1 && (read = await input.ReadAsync(buffer, cancellationToken)) > 0)
            {
                for (var i = 0; i < read && newlines < line - 1; i++)
                {
                    offset++;
                    newlines += buffer[i] == (byte)'\n' ? 1 : 0;
                }
            }
        }

        await CopyRangeAsync(csv, 0, offset, options.Get("first"), cancellationToken);
        await CopyRangeAsync(csv, offset, new FileInfo(csv).Length - offset, options.Get("second"), cancellationToken);
        Console.Error.WriteLine($"split: {rows.Count / 2:N0} + {rows.Count - rows.Count / 2:N0} rows, cut at line {line:N0} (byte {offset:N0})");
    }

    public static async Task CheckAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        // One fingerprint per table: every row's key and content, in key order.
        const string Cables = "SELECT count(*), md5(string_agg(reference_id || ':' || encode(content_sha256, 'hex'), ',' ORDER BY reference_id)) FROM cables";
        const string References = "SELECT count(*), md5(string_agg(reference_id || '>' || cited_id, ',' ORDER BY reference_id, cited_id)) FROM cable_references";
        const string Revisions = "SELECT count(*), md5(string_agg(reference_id || '#' || revision, ',' ORDER BY reference_id, revision)) FROM cable_revisions";
        var two = options.Get("database");
        var single = options.Get("single-database");
        var cables = (await FingerprintAsync(two, Cables, cancellationToken), await FingerprintAsync(single, Cables, cancellationToken));
        var result = new Result(
            double.Parse(options.Get("seconds"), System.Globalization.CultureInfo.InvariantCulture),
            [.. options.Get("exit-codes").Split(',').Select(int.Parse)],
            cables.Item1.Count,
            cables.Item2.Count,
            cables.Item1 == cables.Item2,
            await FingerprintAsync(two, References, cancellationToken) == await FingerprintAsync(single, References, cancellationToken),
            await FingerprintAsync(two, Revisions, cancellationToken) == await FingerprintAsync(single, Revisions, cancellationToken));
        await options.WriteResultAsync("two-jobs", result, cancellationToken);
    }

    private static async Task CopyRangeAsync(string path, long offset, long length, string target, CancellationToken cancellationToken)
    {
        await using var input = File.OpenRead(path);
        input.Position = offset;
        await using var output = File.Create(target);
        var buffer = new byte[1 << 20];
        while (length > 0)
        {
            var read = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length)), cancellationToken);
            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            length -= read;
        }
    }

    private static async Task<(long Count, string Hash)> FingerprintAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.IsDBNull(1) ? "" : reader.GetString(1));
    }
}
