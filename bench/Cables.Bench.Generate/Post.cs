namespace Cables.Bench.Generate;

/// <summary>
/// A real post as the corpus shows it, with every name a cable from there carries: archive label
/// (<c>Embassy Athens</c>), FM address (<c>AMEMBASSY ATHENS</c>), reference id station (<c>ATHENS</c>),
/// banner station (<c>HO CHI MINH CITY</c> for <c>HOCHIMINHCITY</c>) and, when seen, the DE line's routing indicator.
/// </summary>
public sealed record Post(string Label, string Plad, string Station, string BannerStation, string? RoutingIndicator);

/// <summary>The posts of the corpus, each drawn as often as the corpus has cables from it.</summary>
public sealed class PostCatalog
{
    private readonly Post[] _draws;

    public PostCatalog(IEnumerable<CableTemplate> templates, Func<Post, bool>? keep = null)
    {
        // One spelling per label (the most common one); its weight is how many corpus cables carry it.
        var byLabel = templates
            .Where(t => t.Post is not null)
            .GroupBy(t => t.Post!.Label, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var post = g.GroupBy(t => t.Post! with { RoutingIndicator = null })
                    .OrderByDescending(v => v.Count()).ThenBy(v => v.Key.Plad, StringComparer.Ordinal)
                    .First().Key;
                var routing = g.Select(t => t.Post!.RoutingIndicator).FirstOrDefault(r => r is not null);
                return (Post: post with { RoutingIndicator = routing }, Weight: g.Count());
            })
            .Where(p => keep?.Invoke(p.Post) ?? true)
            .ToList();
        Posts = [.. byLabel.Select(p => p.Post)];
        _draws = [.. byLabel.SelectMany(p => Enumerable.Repeat(p.Post, p.Weight))];
    }

    public IReadOnlyList<Post> Posts { get; }

    public Post Draw(Random random) => _draws[random.Next(_draws.Length)];
}
