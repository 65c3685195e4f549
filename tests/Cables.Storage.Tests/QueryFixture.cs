namespace Cables.Storage.Tests;

/// <summary>One database holding <see cref="Cables"/> (a few undated), shared by the query tests, which only read.</summary>
public sealed class QueryFixture : IAsyncLifetime
{
    public const int Count = 400;

    public TestDatabase Database { get; } = new();

    public static IReadOnlyList<ParsedCable> Cables { get; } =
        [.. Enumerable.Range(0, Count).Select(i => i % 97 == 5 ? TestCables.Make(i) with { Created = null } : TestCables.Make(i))];

    /// <summary>The cable id cited most often in <see cref="Cables"/>: a "cites" filter with several matches.</summary>
    public static string MostCited { get; } = Cables
        .SelectMany(c => c.References.Where(r => r.Kind == ReferenceKind.Cable).Select(r => r.Id!).Distinct())
        .GroupBy(id => id).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        var store = Database.CreateStore();
        foreach (var batch in Cables.Chunk(150))
        {
            await store.IngestAsync([.. batch.Select(c => TestCables.ToStore(c))], CancellationToken.None);
        }

        await store.IndexAllQueuedSearchAsync(CancellationToken.None);
    }

    public Task DisposeAsync() => Database.DisposeAsync();

    /// <summary>What <paramref name="query"/> must return, computed from the inserted cables in C#.</summary>
    public static IEnumerable<ParsedCable> Expected(CableQuery query)
    {
        var matches = Cables.Where(c => Matches(query, c));
        var ordered = query.Descending
            ? matches.OrderByDescending(SortDate).ThenByDescending(c => c.ReferenceId, StringComparer.Ordinal)
            : matches.OrderBy(SortDate).ThenBy(c => c.ReferenceId, StringComparer.Ordinal);
        return query.Limit is { } limit ? ordered.Take(limit) : ordered;
    }

    private static DateTime SortDate(ParsedCable cable) => cable.Created ?? DateTime.MinValue;

    private static bool Matches(CableQuery query, ParsedCable cable)
    {
        var tags = cable.Tags.Select(t => t.Value).ToHashSet();
        var level = (int)cable.Classification.Level;
        return query.AllTags.All(tags.Contains)
            && (query.AnyTags.Count == 0 || query.AnyTags.Any(tags.Contains))
            && (query.Origins.Count == 0 || query.Origins.Contains(cable.Origin!))
            && (query.CreatedFrom is null || cable.Created >= query.CreatedFrom)
            && (query.CreatedTo is null || cable.Created < query.CreatedTo)
            && (query.MaxClassification is null || (level >= 1 && level <= (int)query.MaxClassification))
            && (query.Text is null || Words(cable).Contains(query.Text))
            && (query.Cites is null || cable.References.Any(r => r.Kind == ReferenceKind.Cable && r.Id == query.Cites));
    }

    /// <summary>The test words are plain lower-case tokens that stem to themselves' stems on both sides, so a word match is a text match.</summary>
    private static HashSet<string> Words(ParsedCable cable) =>
        $"{cable.Subject} {cable.Body}".Split([' ', '.', '\n'], StringSplitOptions.RemoveEmptyEntries).ToHashSet();
}
