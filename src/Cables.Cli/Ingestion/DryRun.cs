using Cables.Cli.Inputs;
using Cables.Cli.Output;
using Cables.Parsing;

namespace Cables.Cli.Ingestion;

/// <summary>What an ingest would send, found by parsing locally (no service): counts, missing ids, warnings.</summary>
public sealed class DryRun
{
    private const int ExamplesKept = 10;

    private readonly HashSet<string> _referenceIds = new(StringComparer.Ordinal);

    public long Items { get; private set; }

    public long Unreadable { get; private set; }

    public long WithoutReferenceId { get; private set; }

    public long WithWarnings { get; private set; }

    /// <summary>Distinct reference ids: fewer than the parsed items when some cable comes twice (a revision, or the same in two formats).</summary>
    public int DistinctReferenceIds => _referenceIds.Count;

    public SortedDictionary<string, long> WarningCounts { get; } = new(StringComparer.Ordinal);

    /// <summary>The first sources without a reference id (which the service rejects) or unreadable, with why.</summary>
    public List<string> Examples { get; } = [];

    public static async Task<DryRun> RunAsync(IEnumerable<SourceItem> items, CancellationToken cancellationToken)
    {
        var report = new DryRun();
        await foreach (var outcome in items.SelectOrderedAsync(Check, 4 * Environment.ProcessorCount, cancellationToken))
        {
            report.Add(outcome);
        }

        return report;
    }

    private static ItemOutcome Check(SourceItem item)
    {
        if (item.Cable is null)
        {
            return new ItemOutcome(item.Source, null, [], item.Error ?? "unreadable");
        }

        var parsed = CableParser.Parse(item.Cable);
        return new ItemOutcome(item.Source, parsed.ReferenceId, [.. parsed.Warnings.Select(w => w.Code.ToString())], null);
    }

    private void Add(ItemOutcome outcome)
    {
        Items++;
        if (outcome.Error is not null)
        {
            Unreadable++;
            Keep($"{outcome.Source}: unreadable: {outcome.Error}");
            return;
        }

        if (outcome.ReferenceId is null)
        {
            WithoutReferenceId++;
            Keep($"{outcome.Source}: no reference id");
        }
        else
        {
            _referenceIds.Add(outcome.ReferenceId);
        }

        if (outcome.WarningCodes.Length > 0)
        {
            WithWarnings++;
        }

        foreach (var code in outcome.WarningCodes)
        {
            WarningCounts[code] = WarningCounts.GetValueOrDefault(code) + 1;
        }
    }

    private void Keep(string example)
    {
        if (Examples.Count < ExamplesKept)
        {
            Examples.Add(example);
        }
    }

    public async Task WriteAsync(TextWriter output)
    {
        await output.WriteLineAsync($"dry run: {Items:N0} items; {Items - Unreadable - WithoutReferenceId:N0} would be ingested ({DistinctReferenceIds:N0} distinct reference ids)");
        await output.WriteLineAsync($"  without reference id (the service rejects them): {WithoutReferenceId:N0}");
        await output.WriteLineAsync($"  unreadable: {Unreadable:N0}");
        await output.WriteLineAsync($"  with parse warnings: {WithWarnings:N0}");
        foreach (var (code, count) in WarningCounts)
        {
            await output.WriteLineAsync($"    {code}: {count:N0}");
        }

        foreach (var example in Examples)
        {
            await output.WriteLineAsync($"  {example}");
        }
    }

    private sealed record ItemOutcome(string Source, string? ReferenceId, string[] WarningCodes, string? Error);
}
