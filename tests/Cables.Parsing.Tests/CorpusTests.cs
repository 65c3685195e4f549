using System.Globalization;
using System.Text;
using System.Text.Json;
using Cables.Parsing.Model;
using Cables.Testing;
using Xunit.Abstractions;

namespace Cables.Parsing.Tests;

/// <summary>
/// Parses every corpus cable from its TEXT ALONE and compares with truth.jsonl (taken from the source pages and CSV
/// columns, never from the text). Reference id and created need the date-time group's year; 57% of the corpus
/// (partial extracts from cables.csv) has no DTG at all, so those two fields are measured over the cables whose text
/// holds one, and the coverage is printed beside them.
/// </summary>
public sealed class CorpusTests(ITestOutputHelper output)
{
    /// <summary>Misses judged to be errors in the truth, each with the reason; counted apart, never as hits.</summary>
    private static readonly Dictionary<(string Id, string Field), string> s_truthErrors = new()
    {
        [("07PARIS2725", "reference_id")] = "the page under 07PARIS2725 holds Moscow's cable: banner S E C R E T MOSCOW 005154, FM AMEMBASSY MOSCOW",
        [("07PARIS2725", "origin")] = "the page under 07PARIS2725 holds Moscow's cable (FM AMEMBASSY MOSCOW); truth says Embassy Paris",
        [("07PARIS2725", "classification")] = "the page under 07PARIS2725 holds Moscow's SECRET cable; truth gives Paris's CONFIDENTIAL",
    };

    private static readonly Lazy<IReadOnlyList<CorpusResult>> s_results = new(ParseCorpus);

    [Fact]
    public void Corpus_fields_match_the_truth()
    {
        var results = s_results.Value;
        Assert.Equal(4583, results.Count);

        var withDtg = results.Where(r => r.Parsed.Header.DateTimeGroup is not null).ToList();
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"corpus: {results.Count} cables, {withDtg.Count} with a date-time group in the text");

        var id = Measure(report, "reference_id", withDtg, r => CanonicalTruthId(r), r => r.Parsed.ReferenceId, Same);
        var created = Measure(report, "created", withDtg, r => r.Truth.Created, r => r.Parsed.Created?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), (t, p, r) => CreatedMatches(t, p, r.Truth.CreatedPrecision));
        var classification = Measure(report, "classification", results, r => r.Truth.Classification, r => r.Parsed.Classification.Label, Same);
        var origin = Measure(report, "origin", results, r => r.Truth.Origin, r => r.Parsed.Origin, Same);
        var subject = Measure(report, "subject", results.Where(r => !string.IsNullOrWhiteSpace(r.Truth.Subject)).ToList(), r => r.Truth.Subject, r => r.Parsed.Subject, (t, p, _) => SubjectMatches(t, p));
        var tags = Measure(report, "tags", results.Where(r => r.Truth.Tags is { Count: > 0 }).ToList(), r => string.Join(' ', r.Truth.Tags!), r => string.Join(' ', r.Parsed.RawTags), (_, _, r) => TagsMatch(r.Truth.Tags!, r.Parsed.RawTags));

        // Over the whole corpus, for the record: what text alone can give when 57% of the cables lack a DTG.
        Measure(report, "reference_id (all cables)", results, r => CanonicalTruthId(r), r => r.Parsed.ReferenceId, Same, misses: false);
        Measure(report, "created (all cables)", results, r => r.Truth.Created, r => r.Parsed.Created?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), (t, p, r) => CreatedMatches(t, p, r.Truth.CreatedPrecision), misses: false);

        var text = report.ToString();
        output.WriteLine(text);
        Console.WriteLine(text);
        if (Environment.GetEnvironmentVariable("CORPUS_REPORT") is { Length: > 0 } path)
        {
            File.WriteAllText(path, text);
        }

        Assert.True(id >= 0.995, $"reference id {id:P2}");
        Assert.True(created >= 0.995, $"created {created:P2}");
        Assert.True(classification >= 0.995, $"classification {classification:P2}");
        Assert.True(origin >= 0.995, $"origin {origin:P2}");
        Assert.True(subject >= 0.99, $"subject {subject:P2}");
        Assert.True(tags >= 0.99, $"tags {tags:P2}");
    }

    private static double Measure(
        StringBuilder report,
        string field,
        IReadOnlyList<CorpusResult> cables,
        Func<CorpusResult, string?> truth,
        Func<CorpusResult, string?> parsed,
        Func<string?, string?, CorpusResult, bool> matches,
        bool misses = true)
    {
        var hits = 0;
        var truthErrors = 0;
        var missLines = new List<string>();
        var key = field.Split(' ')[0];
        foreach (var cable in cables)
        {
            var t = truth(cable);
            var p = parsed(cable);
            if (matches(t, p, cable))
            {
                hits++;
            }
            else if (s_truthErrors.ContainsKey((cable.Id, key)))
            {
                truthErrors++;
            }
            else
            {
                missLines.Add($"    {cable.Id}: truth '{t}' parsed '{p}'");
            }
        }

        // Truth errors count as hits of the parser: the telegram was read right.
        var rate = cables.Count == 0 ? 1 : (double)(hits + truthErrors) / cables.Count;
        report.AppendLine(CultureInfo.InvariantCulture, $"{field,-28} {hits + truthErrors,5}/{cables.Count,-5} {rate,8:P2}  (truth errors {truthErrors}, misses {missLines.Count})");
        if (misses)
        {
            foreach (var line in missLines.Take(Environment.GetEnvironmentVariable("CORPUS_REPORT") is { Length: > 0 } ? 400 : 15))
            {
                report.AppendLine(line);
            }
        }

        return rate;
    }

    /// <summary>The archive's ids include broken forms (<c>09EFTOTRIPOLI704</c>); compare canonical ids.</summary>
    private static string? CanonicalTruthId(CorpusResult r) => r.Truth.ReferenceId is { } id ? Fields.ReferenceIds.Canonicalize(id) : null;

    private static bool Same(string? truth, string? parsed, CorpusResult _) => string.Equals(truth, parsed, StringComparison.Ordinal);

    private static bool CreatedMatches(string? truth, string? parsed, string? precision) =>
        truth is not null && parsed is not null
        && (precision == "hour" ? string.Equals(truth[..13], parsed[..13], StringComparison.Ordinal) : string.Equals(truth, parsed, StringComparison.Ordinal));

    /// <summary>Truth holds the subject's first line (as the page wrapped it); the parser the whole subject.</summary>
    private static bool SubjectMatches(string? truth, string? parsed)
    {
        if (truth is null || parsed is null)
        {
            return false;
        }

        var t = Collapse(truth.TrimEnd().TrimEnd('\\'));
        var p = Collapse(parsed);
        return p.StartsWith(t, StringComparison.OrdinalIgnoreCase) || Collapse(StripMarking(t)).Length > 0 && p.StartsWith(Collapse(StripMarking(t)), StringComparison.OrdinalIgnoreCase);
    }

    private static string StripMarking(string subject) =>
        subject.StartsWith('(') && subject.IndexOf(')', StringComparison.Ordinal) is var close and > 0 and < 10 ? subject[(close + 1)..] : subject;

    /// <summary>Truth tags are the page's links, split by its tokenizer (ZANU-PF became ZANU, PF): compare as token sets.</summary>
    private static bool TagsMatch(IReadOnlyList<string> truth, IReadOnlyList<string> parsed)
    {
        static HashSet<string> Tokens(IEnumerable<string> tags) =>
            tags.SelectMany(t => t.Split([' ', '-', ',', '/', '.', '(', ')'], StringSplitOptions.RemoveEmptyEntries))
                .Select(t => t.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);

        return Tokens(truth).SetEquals(Tokens(parsed));
    }

    private static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static List<CorpusResult> ParseCorpus()
    {
        var results = new List<CorpusResult>();
        foreach (var line in File.ReadLines(SharedFolder.Path("corpus", "truth.jsonl")))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var truth = root.GetProperty("truth");
            var text = File.ReadAllText(SharedFolder.Path("corpus", root.GetProperty("file").GetString()!));
            results.Add(new CorpusResult(
                root.GetProperty("id").GetString()!,
                new CorpusTruth(
                    truth.GetProperty("reference_id").GetString(),
                    truth.GetProperty("created").GetString(),
                    truth.GetProperty("created_precision").GetString(),
                    truth.GetProperty("classification").GetString(),
                    truth.GetProperty("origin").GetString(),
                    truth.TryGetProperty("subject", out var subject) ? subject.GetString() : null,
                    truth.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array ? [.. tags.EnumerateArray().Select(t => t.GetString()!)] : null),
                CableParser.ParseCore(text, null)));
        }

        return results;
    }

    private sealed record CorpusTruth(string? ReferenceId, string? Created, string? CreatedPrecision, string? Classification, string? Origin, string? Subject, IReadOnlyList<string>? Tags);

    private sealed record CorpusResult(string Id, CorpusTruth Truth, ParsedCable Parsed);
}
