using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cables.Parsing.Tests.Conformance;

/// <summary>One line of <c>conformance/cablemap-vectors.jsonl</c>.</summary>
public sealed record ConformanceVector(int Id, string Field, string Input, JsonNode? Expected, JsonObject Args, bool CablemapHeadPasses)
{
    private static readonly Lazy<IReadOnlyDictionary<int, ConformanceVector>> s_all = new(Load);

    public static IReadOnlyDictionary<int, ConformanceVector> All => s_all.Value;

    /// <summary>The family a vector counts in: the three c14n fields are one family, as are subject and subject_html.</summary>
    public string Family => Field switch
    {
        "c14n_id" or "c14n_malformed_id" or "c14n_invalid_id" => "c14n",
        "subject_html" => "subject",
        "info_recipients" => "recipients",
        _ => Field,
    };

    public int? IntArg(string name) => Args[name] is JsonValue v && v.TryGetValue<int>(out var i) ? i : null;

    public string? StringArg(string name) => Args[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public bool? BoolArg(string name) => Args[name] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    private static Dictionary<int, ConformanceVector> Load()
    {
        var vectors = new Dictionary<int, ConformanceVector>();
        foreach (var line in File.ReadLines(SharedFolder.Path("conformance", "cablemap-vectors.jsonl")))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var node = JsonNode.Parse(line)!.AsObject();
            var vector = new ConformanceVector(
                node["id"]!.GetValue<int>(),
                node["field"]!.GetValue<string>(),
                node["input"]!.GetValue<string>(),
                node["expected"]?.DeepClone(),
                node["args"] is JsonObject args ? (JsonObject)args.DeepClone() : [],
                node["cablemap_head_passes"]?.GetValue<bool>() ?? false);
            vectors.Add(vector.Id, vector);
        }

        return vectors;
    }

    public override string ToString() => $"#{Id} {Field}";

    internal static string Show(JsonNode? node) =>
        node?.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? "null";
}
