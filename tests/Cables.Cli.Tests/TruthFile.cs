namespace Cables.Cli.Tests;

/// <summary>corpus/truth.jsonl: what the pages and CSV rows state of each cable, independent of the telegram text.</summary>
public sealed record Truth(string Id, string File, string ReferenceId, string Created, string CreatedPrecision, string Classification, string Origin, string? Subject, string[]? Tags)
{
    private static readonly Lazy<Dictionary<string, Truth>> s_all = new(Load);

    public static IReadOnlyDictionary<string, Truth> All => s_all.Value;

    /// <summary>The created time as RFC 3339, cut to what the source can be trusted for (hour or minute).</summary>
    public string CreatedPrefix => CreatedPrecision == "hour" ? Created.Replace(' ', 'T')[..13] : Created.Replace(' ', 'T') + ":00Z";

    private static Dictionary<string, Truth> Load()
    {
        var all = new Dictionary<string, Truth>(StringComparer.Ordinal);
        foreach (var line in System.IO.File.ReadLines(SharedFolder.Path("corpus", "truth.jsonl")))
        {
            var root = JsonDocument.Parse(line).RootElement;
            var truth = root.GetProperty("truth");
            all[root.GetProperty("id").GetString()!] = new Truth(
                root.GetProperty("id").GetString()!,
                root.GetProperty("file").GetString()!,
                truth.GetProperty("reference_id").GetString()!,
                truth.GetProperty("created").GetString()!,
                truth.GetProperty("created_precision").GetString()!,
                truth.GetProperty("classification").GetString()!,
                truth.GetProperty("origin").GetString()!,
                truth.TryGetProperty("subject", out var subject) && subject.ValueKind == JsonValueKind.String ? subject.GetString() : null,
                truth.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array ? [.. tags.EnumerateArray().Select(t => t.GetString()!)] : null);
        }

        return all;
    }
}
