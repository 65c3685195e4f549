using System.Text.Json;

namespace Cables.Bench.Generate;

/// <summary>Reads the corpus cables named by truth.jsonl (their reference id, origin, classification) into templates.</summary>
public static class CorpusReader
{
    public static IReadOnlyList<CableTemplate> ReadTemplates(string corpus)
    {
        var templates = new List<CableTemplate>();
        foreach (var line in File.ReadLines(Path.Combine(corpus, "truth.jsonl")))
        {
            using var record = JsonDocument.Parse(line);
            var root = record.RootElement;
            var truth = root.GetProperty("truth");
            var references = truth.TryGetProperty("references", out var refs) && refs.ValueKind == JsonValueKind.Array
                ? refs.EnumerateArray().Select(r => r.GetString() ?? "").ToArray()
                : [];
            var text = File.ReadAllText(Path.Combine(corpus, root.GetProperty("file").GetString()!));
            var template = CableTemplate.TryCreate(
                truth.GetProperty("reference_id").GetString()!,
                truth.GetProperty("origin").GetString()!,
                truth.GetProperty("classification").GetString()!,
                references,
                text);
            if (template is not null)
                templates.Add(template);
        }
        // Truth order is the corpus's; sorting makes the draw independent of how the file was written.
        templates.Sort((a, b) => string.CompareOrdinal(a.ReferenceId, b.ReferenceId));
        return templates;
    }
}
