namespace Cables.Bench.Generate;

/// <summary>What the generated set holds, for checking query answers: totals, counts per tag, origin and year, and the benchmark's queries.</summary>
public sealed record Manifest
{
    public required int Seed { get; init; }

    public required int Count { get; init; }

    public required long Bytes { get; init; }

    public required string File { get; init; }

    public required SortedDictionary<string, int> Tags { get; init; }

    public required SortedDictionary<string, int> Origins { get; init; }

    public required SortedDictionary<int, int> Years { get; init; }

    public required BenchQueries Queries { get; init; }

    /// <summary>How many generated cables each corpus cable gave its text to: full-text counts follow from these.</summary>
    public required SortedDictionary<string, int> TemplateUses { get; init; }

    /// <summary>Reference ids spread over the set, for point reads.</summary>
    public required IReadOnlyList<string> SampleIds { get; init; }
}

/// <summary>The filters the query benchmark streams, with the number of cables each must return.</summary>
public sealed record BenchQueries(TagQuery Tag, OriginQuery Origin, DateQuery Date, CombinedQuery Combined, TextQuery Text);

public sealed record TagQuery(string Tag, int Count);

public sealed record OriginQuery(string Origin, int Count);

/// <summary>[From, To) in UTC.</summary>
public sealed record DateQuery(DateTime From, DateTime To, int Count);

/// <summary>Any of the origins, with the tag, in [From, To).</summary>
public sealed record CombinedQuery(string Tag, IReadOnlyList<string> Origins, DateTime From, DateTime To, int Count);

/// <summary>Websearch syntax; the expected count depends on PostgreSQL's parser, so the harness derives it from <see cref="Manifest.TemplateUses"/>.</summary>
public sealed record TextQuery(string Query);
