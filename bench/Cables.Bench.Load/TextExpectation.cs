using Cables.Bench.Generate;
using Npgsql;

namespace Cables.Bench.Load;

/// <summary>
/// How many generated cables the full-text query must find. Generated cables keep their corpus cable's text
/// outside the rewritten header, banner and TAGS lines, so PostgreSQL itself decides, once per corpus cable,
/// whether the text matches; the manifest says how many cables each corpus cable gave its text to.
/// </summary>
public static class TextExpectation
{
    public sealed record Result(string Query, long Count, int MatchingTemplates);

    public static async Task RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var manifest = options.LoadManifest();
        var templates = CorpusReader.ReadTemplates(options.Get("corpus"));
        var used = templates.Where(t => manifest.TemplateUses.ContainsKey(t.ReferenceId)).ToArray();

        await using var connection = new NpgsqlConnection(options.Get("database"));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            SELECT coalesce(sum(uses), 0), count(*)
            FROM unnest(@contents, @uses) AS t(content, uses)
            WHERE to_tsvector('english', content) @@ websearch_to_tsquery('english', @query)
            """, connection);
        command.Parameters.AddWithValue("contents", used.Select(t => t.Content).ToArray());
        command.Parameters.AddWithValue("uses", used.Select(t => manifest.TemplateUses[t.ReferenceId]).ToArray());
        command.Parameters.AddWithValue("query", manifest.Queries.Text.Query);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var result = new Result(manifest.Queries.Text.Query, reader.GetInt64(0), (int)reader.GetInt64(1));

        await options.WriteResultAsync("text-expected", result, cancellationToken);
        Console.Error.WriteLine($"expect-text: '{result.Query}' should match {result.Count:N0} cables ({result.MatchingTemplates} corpus texts)");
    }
}
