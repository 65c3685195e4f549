using Cables.Parsing;
using Cables.Parsing.Formats;

namespace Cables.Bench.Generate;

/// <summary>
/// Keeps what the parser reads back exactly as generated. A template whose date, station or TAGS the generator
/// cannot rewrite everywhere the parser looks, a post whose archive label the parser spells otherwise, a tag the
/// parser normalises (RU becomes RS): each would make the manifest's counts differ from the service's answers.
/// </summary>
public static class ParserCheck
{
    private static readonly DateTime ProbeDate = new(2007, 6, 15, 12, 34, 0, DateTimeKind.Utc);
    private static readonly string[] ProbeTags = ["PREL", "ECON", "FR"];

    public static bool ReadsBack(GeneratedCable cable) => Mismatch(cable) is null;

    /// <summary>What the parser reads otherwise (id, date, origin, tags, row), or null when it reads the cable back as generated.</summary>
    public static string? Mismatch(GeneratedCable cable)
    {
        var raw = CablesCsv.ReadRows(new StringReader(CablesCsvWriter.ToRow(cable))).ToList();
        if (raw.Count != 1)
            return "row";
        var parsed = CableParser.Parse(raw[0]);
        return parsed.ReferenceId != cable.ReferenceId ? $"id {parsed.ReferenceId} for {cable.ReferenceId}"
            : parsed.Created?.Ticks != cable.Created.Ticks ? $"date {parsed.Created:u} for {cable.Created:u}"
            : parsed.Origin != cable.Post.Label ? $"origin {parsed.Origin} for {cable.Post.Label}"
            : !parsed.Tags.Select(t => t.Value).SequenceEqual(cable.Tags, StringComparer.Ordinal) ? $"tags {string.Join(',', parsed.Tags.Select(t => t.Value))} for {string.Join(',', cable.Tags)}"
            : null;
    }

    /// <summary>The templates, posts and tags that read back; how many of each were left out.</summary>
    public static (IReadOnlyList<CableTemplate> Templates, PostCatalog Posts, TagPool Tags, string Excluded) Filter(IReadOnlyList<CableTemplate> templates)
    {
        var allPosts = new PostCatalog(templates);
        // Cables without an FM line are probed with the busiest post.
        var busiest = templates.Where(t => t.Post is not null).GroupBy(t => t.Post!.Label, StringComparer.Ordinal).MaxBy(g => g.Count())!.Key;
        var fallback = allPosts.Posts.First(p => p.Label == busiest);
        var kept = templates.Where(t => ReadsBack(Probe(t, t.Post ?? fallback, ProbeTags))).ToList();
        if (Environment.GetEnvironmentVariable("BENCH_GENERATE_DEBUG") == "1")
        {
            foreach (var t in templates.Take(400))
            {
                if (Mismatch(Probe(t, t.Post ?? fallback, ProbeTags)) is { } why)
                    Console.Error.WriteLine($"{t.ReferenceId}: {why}");
            }
        }
        if (kept.Count < templates.Count / 2)
            throw new InvalidOperationException($"Only {kept.Count} of {templates.Count} corpus cables read back as generated: is the parser in this tree complete?");

        var reference = kept[0];
        var posts = new PostCatalog(kept, p => ReadsBack(Probe(reference, p, ProbeTags)));
        var post = posts.Posts[0];
        var allTags = new TagPool(kept);
        var tags = new TagPool(kept, t => ReadsBack(Probe(reference, post, [t])));
        var excluded = $"{templates.Count - kept.Count} of {templates.Count} corpus cables, {allPosts.Posts.Count - posts.Posts.Count} of {allPosts.Posts.Count} posts, " +
            $"{allTags.Distinct.Count() - tags.Distinct.Count()} of {allTags.Distinct.Count()} tags";
        return (kept, posts, tags, excluded);
    }

    private static GeneratedCable Probe(CableTemplate template, Post post, string[] tags) => new(1, template, post, ProbeDate, 4321, tags);
}
