namespace Cables.Bench.Generate;

/// <summary>Counts what the generated cables hold and picks the benchmark's queries from it.</summary>
public sealed class Tally(int expected)
{
    private const int SampleSize = 2000;

    private readonly SortedDictionary<string, int> _tags = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _origins = new(StringComparer.Ordinal);
    private readonly SortedDictionary<int, int> _years = [];
    private readonly SortedDictionary<string, int> _templateUses = new(StringComparer.Ordinal);
    private readonly List<(string Origin, DateTime Created, string[] Tags)> _cables = new(expected);
    private readonly List<string> _sampleIds = new(SampleSize);
    private readonly int _sampleEvery = Math.Max(1, expected / SampleSize);

    public void Add(GeneratedCable cable)
    {
        foreach (var tag in cable.Tags)
            Increment(_tags, tag);
        Increment(_origins, cable.Post.Label);
        Increment(_years, cable.Created.Year);
        Increment(_templateUses, cable.Template.ReferenceId);
        _cables.Add((cable.Post.Label, cable.Created, cable.Tags));
        if (cable.Row % _sampleEvery == 0 && _sampleIds.Count < SampleSize)
            _sampleIds.Add(cable.ReferenceId);
    }

    public Manifest ToManifest(int seed, long bytes, string file)
    {
        // A tag on about a tenth of the set, the busiest posts, one year, and all of them together.
        var tag = _tags.MinBy(t => Math.Abs(t.Value - _cables.Count / 10)).Key;
        var origins = _origins.OrderByDescending(o => o.Value).ThenBy(o => o.Key, StringComparer.Ordinal).Take(3).Select(o => o.Key).ToArray();
        var year = new DateQuery(Utc(2006, 1, 1), Utc(2007, 1, 1), 0);
        var span = (From: Utc(2004, 1, 1), To: Utc(2010, 1, 1));

        return new Manifest
        {
            Seed = seed,
            Count = _cables.Count,
            Bytes = bytes,
            File = file,
            Tags = _tags,
            Origins = _origins,
            Years = _years,
            Queries = new BenchQueries(
                new TagQuery(tag, _tags[tag]),
                new OriginQuery(origins[0], _origins[origins[0]]),
                year with { Count = _cables.Count(c => c.Created >= year.From && c.Created < year.To) },
                new CombinedQuery(tag, origins, span.From, span.To, _cables.Count(c =>
                    c.Tags.Contains(tag) && origins.Contains(c.Origin) && c.Created >= span.From && c.Created < span.To)),
                new TextQuery("nuclear")),
            TemplateUses = _templateUses,
            SampleIds = _sampleIds,
        };
    }

    private static DateTime Utc(int year, int month, int day) => new(year, month, day, 0, 0, 0, DateTimeKind.Utc);

    private static void Increment<TKey>(SortedDictionary<TKey, int> counts, TKey key)
        where TKey : notnull =>
        counts[key] = counts.TryGetValue(key, out var n) ? n + 1 : 1;
}
