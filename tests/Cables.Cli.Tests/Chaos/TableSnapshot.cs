using Npgsql;

namespace Cables.Cli.Tests.Chaos;

/// <summary>
/// What an ingest leaves in the tables, as text to compare: every cable's id, content hash, revision count and source
/// format, every revision's hash, and every citation row. Two runs of the same inputs must leave the same snapshot.
/// </summary>
internal static class TableSnapshot
{
    private static readonly string[] s_queries =
    [
        "SELECT string_agg(reference_id || ' ' || encode(content_sha256, 'hex') || ' ' || revision_count || ' ' || source_format, E'\\n' ORDER BY reference_id) FROM cables",
        "SELECT string_agg(reference_id || ' ' || revision || ' ' || encode(content_sha256, 'hex'), E'\\n' ORDER BY reference_id, revision) FROM cable_revisions",
        "SELECT string_agg(reference_id || ' > ' || cited_id, E'\\n' ORDER BY reference_id, cited_id) FROM cable_references",
    ];

    public static async Task<string> TakeAsync(string connectionString)
    {
        // A connection of its own: a pooled one may predate a crash of the server.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        var parts = new List<string>();
        foreach (var sql in s_queries)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            parts.Add(await command.ExecuteScalarAsync() as string ?? "");
        }

        return string.Join("\n--\n", parts);
    }
}
