using Cables.Api.V1;
using Cables.Bench.Generate;
using Google.Protobuf.WellKnownTypes;

namespace Cables.Bench.Load;

/// <summary>A query shape of the benchmark: its filter and how many cables it must return.</summary>
public sealed record QueryShape(string Name, CableFilter Filter, long Expected);

public static class Filters
{
    /// <summary>Tag, origin, date range, combined and full text, as the manifest defines them; text only when its expectation is known.</summary>
    public static IReadOnlyList<QueryShape> Shapes(Manifest manifest, long? textExpected)
    {
        var q = manifest.Queries;
        var shapes = new List<QueryShape>
        {
            new("tag", new CableFilter { AllTags = { q.Tag.Tag } }, q.Tag.Count),
            new("origin", new CableFilter { Origins = { q.Origin.Origin } }, q.Origin.Count),
            new("date", new CableFilter { CreatedFrom = Timestamp.FromDateTime(q.Date.From), CreatedTo = Timestamp.FromDateTime(q.Date.To) }, q.Date.Count),
            new("combined", new CableFilter
            {
                AllTags = { q.Combined.Tag },
                Origins = { q.Combined.Origins },
                CreatedFrom = Timestamp.FromDateTime(q.Combined.From),
                CreatedTo = Timestamp.FromDateTime(q.Combined.To),
            }, q.Combined.Count),
        };
        if (textExpected is { } count)
            shapes.Add(new QueryShape("text", new CableFilter { Text = q.Text.Query }, count));
        return shapes;
    }

    public static string Describe(QueryShape shape, Manifest manifest) => shape.Name switch
    {
        "tag" => $"tag {manifest.Queries.Tag.Tag}",
        "origin" => $"origin {manifest.Queries.Origin.Origin}",
        "date" => $"created in [{manifest.Queries.Date.From:yyyy-MM-dd}, {manifest.Queries.Date.To:yyyy-MM-dd})",
        "combined" => $"tag {manifest.Queries.Combined.Tag}, origin one of {string.Join(" / ", manifest.Queries.Combined.Origins)}, [{manifest.Queries.Combined.From:yyyy}, {manifest.Queries.Combined.To:yyyy})",
        "text" => $"text \"{manifest.Queries.Text.Query}\"",
        "all" => "no filter",
        _ => shape.Name,
    };
}
