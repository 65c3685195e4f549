using System.Globalization;
using System.Text.Json;

namespace CableService.Tests.Functional;

/// <summary>One line of corpus/truth.jsonl: what the source page or CSV row says, never read from the telegram.</summary>
public sealed record TruthCable(
    string ReferenceId, string File, DateTime Created, bool HourPrecision, string Origin, string Classification,
    IReadOnlyList<string>? Tags, IReadOnlyList<string> References)
{
    public string Path => SharedFolder.Path("corpus", File);
}

public static class Corpus
{
    private static readonly Lazy<IReadOnlyList<TruthCable>> s_truth = new(Load);

    public static IReadOnlyList<TruthCable> Truth => s_truth.Value;

    public static string SeedPath => SharedFolder.Path("corpus", "seed", "08BRUSSELS1390.txt");

    /// <summary>A fixed spread over the whole corpus: every <paramref name="step"/>-th cable by reference id.</summary>
    public static IReadOnlyList<TruthCable> Sample(int step) =>
        [.. Truth.OrderBy(t => t.ReferenceId, StringComparer.Ordinal).Where((_, i) => i % step == 0)];

    private static List<TruthCable> Load()
    {
        var cables = new List<TruthCable>();
        foreach (var line in System.IO.File.ReadLines(SharedFolder.Path("corpus", "truth.jsonl")))
        {
            using var json = JsonDocument.Parse(line);
            var truth = json.RootElement.GetProperty("truth");
            cables.Add(new TruthCable(
                truth.GetProperty("reference_id").GetString()!,
                json.RootElement.GetProperty("file").GetString()!,
                DateTime.SpecifyKind(DateTime.ParseExact(truth.GetProperty("created").GetString()!, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), DateTimeKind.Utc),
                truth.GetProperty("created_precision").GetString() == "hour",
                truth.GetProperty("origin").GetString()!,
                truth.GetProperty("classification").GetString()!,
                truth.GetProperty("tags").ValueKind == JsonValueKind.Array ? [.. truth.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!)] : null,
                truth.TryGetProperty("references", out var refs) && refs.ValueKind == JsonValueKind.Array ? [.. refs.EnumerateArray().Select(r => r.GetString()!)] : []));
        }

        return cables;
    }
}
