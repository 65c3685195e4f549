namespace Cables.Parsing.Tests.Fields;

/// <summary>Subjects and tags of the 40 WikiLeaks pages against the page's own headings and tag links (corpus/truth.jsonl).</summary>
public class CorpusTruthTests(ITestOutputHelper output)
{
    public static TheoryData<string> Pages => FormatsWikiLeaksHtmlTests.Pages;

    /// <summary>Where we are sure the telegram is right and the page heading (the truth) is not; counted, kept few.</summary>
    private static readonly Dictionary<string, string> s_subjectTruthWrong = new()
    {
        ["06SAOPAULO102"] = "the heading runs on into the next field: '… POLITICS REF: Sao Paulo 73 Sensitive but Unclassified'; the telegram's subject ends before REF:",
    };

    /// <summary>The page heading prints the subject cut at a word boundary (leading quote dropped); ours must begin with it. No heading, no SUBJECT line.</summary>
    [Theory]
    [MemberData(nameof(Pages))]
    public void Subject_starts_with_the_page_heading(string id)
    {
        var expected = Truth.Of(id)["subject"]!.GetValue<string>();
        var text = WikiLeaksHtml.Read(File.ReadAllText(SharedFolder.Path("corpus", "formats", "html", id + ".html"))).Text;

        var subject = Subjects.Parse(text);

        if (s_subjectTruthWrong.TryGetValue(id, out var reason))
        {
            output.WriteLine($"{id}: truth differs on purpose ({reason}); we answer '{subject}'");
            Assert.StartsWith(Normalise(subject!), Normalise(expected), StringComparison.Ordinal);
            return;
        }

        if (expected.Length == 0)
        {
            Assert.Null(subject);
            return;
        }

        // A page marker the rendering ran into the subject line is in the heading but not in the subject.
        var marker = Telegram.TelegramText.InlinePageMarker(expected);
        if (marker > 0)
        {
            expected = expected[..marker];
        }

        Assert.NotNull(subject);
        Assert.StartsWith(Normalise(expected), Normalise(subject), StringComparison.Ordinal);
    }

    [Fact]
    public void Few_subject_truths_are_overruled() => Assert.True(s_subjectTruthWrong.Count <= 2);

    /// <summary>The page links the tags it found; its tokenizer splits ZANU-PF into ZANU, PF, so compare after the same split.</summary>
    [Theory]
    [MemberData(nameof(Pages))]
    public void Tags_match_the_page_tag_links(string id)
    {
        // The page keeps RU; the conformance convention (and so we) read it as Russia's geo tag RS.
        var expected = Truth.Of(id)["tags"]!.AsArray().Select(t => t!.GetValue<string>() is "RU" ? "RS" : t!.GetValue<string>())
            .ToHashSet(StringComparer.Ordinal);
        var text = File.ReadAllText(SharedFolder.Path("corpus", "cables", id + ".txt"));

        var tags = Tags.Parse(text).Tags
            .SelectMany(t => t.Value.Split([' ', '-', ','], StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.Ordinal);

        output.WriteLine($"expected [{string.Join(' ', expected.Order())}] got [{string.Join(' ', tags.Order())}]");
        Assert.Subset(tags, expected);
    }

    private static string Normalise(string s) => string.Join(' ', s.Split(' ', StringSplitOptions.RemoveEmptyEntries)).TrimStart('"').ToUpperInvariant();
}

/// <summary>
/// REF ids against the cables.csv "references" column for the corpus cables taken from the CSV. The column is noisy and
/// often lists only the first reference of a lettered list (03ZAGREB755 lists none of its A–C; 04LAGOS2015 one of ten),
/// so precision against it is low by construction: recall is the figure that matters, precision guards against floods.
/// </summary>
public class CorpusReferencesTests(ITestOutputHelper output)
{
    [Fact]
    public void Reference_ids_agree_with_the_csv_references_column()
    {
        int expectedCount = 0, foundCount = 0, agreed = 0;
        foreach (var (id, text) in CorpusText.Cables)
        {
            if (!Truth.Has(id) || Truth.SourceFormat(id) != "csv-row" || Truth.Of(id)["references"] is not System.Text.Json.Nodes.JsonArray listed)
            {
                continue;
            }

            var created = Truth.Of(id)["created"]!.GetValue<string>();
            var year = int.Parse(created[..4], System.Globalization.CultureInfo.InvariantCulture);
            var expected = listed.Select(r => ReferenceIds.Canonicalize(r!.GetValue<string>())).ToHashSet(StringComparer.Ordinal);
            var found = References.CableIds(References.Parse(text, year, id)).ToHashSet(StringComparer.Ordinal);
            expectedCount += expected.Count;
            foundCount += found.Count;
            agreed += found.Count(expected.Contains);
        }

        var recall = (double)agreed / expectedCount;
        var precision = (double)agreed / foundCount;
        output.WriteLine($"csv references: {expectedCount} listed, {foundCount} found, {agreed} agreed: recall {recall:P1}, precision {precision:P1}");
        Console.WriteLine($"csv references: {expectedCount} listed, {foundCount} found, {agreed} agreed: recall {recall:P1}, precision {precision:P1}");
        Assert.True(recall >= 0.93 && precision >= 0.65, $"recall {recall:P1}, precision {precision:P1}");
    }
}
