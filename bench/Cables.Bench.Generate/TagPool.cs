namespace Cables.Bench.Generate;

/// <summary>TAGS codes as often as the corpus uses them: subject and program tags (four letters) and country tags (two).</summary>
public sealed class TagPool
{
    private readonly string[] _subjects;
    private readonly string[] _countries;

    public TagPool(IEnumerable<CableTemplate> templates, Func<string, bool>? keep = null)
    {
        var all = templates.SelectMany(t => t.Tags).Where(t => keep?.Invoke(t) ?? true).ToArray();
        _subjects = [.. all.Where(t => t.Length == 4)];
        _countries = [.. all.Where(t => t.Length == 2)];
    }

    /// <summary>Two to five subject tags then one or two country tags, distinct, as a cable lists them.</summary>
    public string[] Draw(Random random)
    {
        var subjects = random.Next(2, 6);
        var countries = random.Next(1, 3);
        var tags = new List<string>(subjects + countries);
        while (tags.Count < subjects)
            AddDistinct(tags, _subjects[random.Next(_subjects.Length)]);
        while (tags.Count < subjects + countries)
            AddDistinct(tags, _countries[random.Next(_countries.Length)]);
        return [.. tags];
    }

    public IEnumerable<string> Distinct => _subjects.Concat(_countries).Distinct(StringComparer.Ordinal);

    private static void AddDistinct(List<string> tags, string tag)
    {
        if (!tags.Contains(tag))
            tags.Add(tag);
    }
}
