using System.Text.Json.Nodes;

namespace Cables.Parsing.Tests;

public class FormatsWikiLeaksHtmlTests
{
    public static TheoryData<string> Pages =>
        [.. Directory.GetFiles(SharedFolder.Path("corpus", "formats", "html"), "*.html").Select(f => Path.GetFileNameWithoutExtension(f)).Order()];

    [Fact]
    public void Corpus_has_the_forty_pages() => Assert.Equal(40, Pages.Count);

    /// <summary>The unwrapped telegram is byte for byte the corpus text of the same cable.</summary>
    [Theory]
    [MemberData(nameof(Pages))]
    public void Page_text_equals_corpus_cable(string id)
    {
        var cable = WikiLeaksHtml.Read(File.ReadAllText(SharedFolder.Path("corpus", "formats", "html", id + ".html")));

        Assert.Equal(File.ReadAllText(SharedFolder.Path("corpus", "cables", id + ".txt")), cable.Text);
        Assert.Equal(SourceFormat.WikiLeaksHtml, cable.Format);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Page_metadata_matches_truth(string id)
    {
        var truth = Truth.Of(id);
        var metadata = WikiLeaksHtml.Read(File.ReadAllText(SharedFolder.Path("corpus", "formats", "html", id + ".html"))).Metadata;

        Assert.NotNull(metadata);
        Assert.Equal(truth["reference_id"]!.GetValue<string>(), metadata.ReferenceId);
        Assert.Equal(truth["classification"]!.GetValue<string>(), metadata.Classification);
        Assert.Equal(truth["origin"]!.GetValue<string>(), metadata.Origin);
        Assert.Equal(truth["created"]!.GetValue<string>(), metadata.Created?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        Assert.Equal(truth["partial_extract"]?.GetValue<bool>() ?? false, metadata.PartialExtract);
    }

    [Fact]
    public void Links_and_entities_are_unwrapped_and_pilcrow_kept()
    {
        const string html = "<table class='cable'><tr><td>\n<a href='/cable/x'>08BRUSSELS1390</a>\n</td></tr></table>" +
                            "<code><pre>TAGS: <a href='/tag/PREL_0.html'>PREL</a>&#x000A;<a id='par1' href='#par1'>¶</a>1. A &amp; B &#8217;</pre></code>";

        var cable = WikiLeaksHtml.Read(html);

        Assert.Equal("TAGS: PREL\n¶1. A & B ’\n", cable.Text);
        Assert.Equal("08BRUSSELS1390", cable.Metadata?.ReferenceId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html><body>no cable here</body></html>")]
    [InlineData("<table class='cable'><td><a>unterminated")]
    [InlineData("<pre>only a pre")]
    public void Odd_pages_do_not_throw(string html)
    {
        var cable = WikiLeaksHtml.Read(html);

        Assert.NotNull(cable.Text);
    }
}

/// <summary>corpus/truth.jsonl by cable id.</summary>
internal static class Truth
{
    private static readonly Lazy<Dictionary<string, JsonObject>> s_records = new(() =>
        File.ReadLines(SharedFolder.Path("corpus", "truth.jsonl"))
            .Where(l => l.Length > 0)
            .Select(l => JsonNode.Parse(l)!.AsObject())
            .ToDictionary(o => o["id"]!.GetValue<string>(), o => o));

    public static JsonObject Of(string id) => s_records.Value[id]["truth"]!.AsObject();

    public static string SourceFormat(string id) => s_records.Value[id]["source_format"]!.GetValue<string>();

    public static bool Has(string id) => s_records.Value.ContainsKey(id);
}
