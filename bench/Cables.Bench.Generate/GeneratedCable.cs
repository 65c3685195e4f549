namespace Cables.Bench.Generate;

/// <summary>What one generated cable is: a corpus template with a new post, date, reference id and tags.</summary>
public sealed record GeneratedCable(int Row, CableTemplate Template, Post Post, DateTime Created, int Serial, string[] Tags)
{
    public string ReferenceId { get; } = $"{Created.Year % 100:D2}{Post.Station}{Serial}";
}

/// <summary>Draws cables deterministically: the same seed, corpus and count give the same cables in the same order.</summary>
public sealed class CableGenerator(IReadOnlyList<CableTemplate> templates, PostCatalog posts, TagPool tags, int seed)
{
    private static readonly DateTime Recent = new(2004, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Oldest = new(1966, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Newest = new(2010, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly Random _random = new(seed);
    private readonly Dictionary<(int Year, string Station), int> _serials = [];
    private int _row;

    /// <summary>The next cable; <paramref name="row"/> to draw a replacement for a cable already numbered.</summary>
    public GeneratedCable Next(int? row = null)
    {
        var template = templates[_random.Next(templates.Count)];
        var post = posts.Draw(_random);
        var created = NextCreated();

        // Serials grow per year and station as a post's do, so reference ids never repeat.
        var key = (created.Year, post.Station);
        var serial = (_serials.TryGetValue(key, out var last) ? last : _random.Next(0, 400)) + _random.Next(1, 8);
        _serials[key] = serial;

        return new GeneratedCable(row ?? ++_row, template, post, created, serial, tags.Draw(_random));
    }

    // Like the archive, most cables are from 2004-2010; a fifth spreads over the older years.
    private DateTime NextCreated()
    {
        var (from, to) = _random.NextDouble() < 0.8 ? (Recent, Newest) : (Oldest, Recent);
        return from.AddMinutes(_random.NextInt64((long)(to - from).TotalMinutes));
    }
}
