namespace Cables.Parsing.Tests;

/// <summary>
/// The project's seed cable, checked field by field against values read off the telegram by hand, in its damaged
/// rendering (TAGS as links, ¶ read as 1, page markers mid-sentence, stray blank lines) and in a clean rendering
/// written from it (Data/08BRUSSELS1390.clean.txt): both must give the same answer.
/// </summary>
public sealed class SeedCableTests
{
    private static readonly ParsedCable s_damaged = CableParser.ParseCore(File.ReadAllText(SharedFolder.Path("corpus", "seed", "08BRUSSELS1390.txt")), null);

    private static readonly ParsedCable s_clean = CableParser.ParseCore(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "08BRUSSELS1390.clean.txt")), null);

    public static TheoryData<string> Renderings => ["damaged", "clean"];

    private static ParsedCable Of(string rendering) => rendering == "damaged" ? s_damaged : s_clean;

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Identity_and_dates(string rendering)
    {
        var cable = Of(rendering);
        Assert.Equal("08BRUSSELS1390", cable.ReferenceId);
        Assert.Equal(new DateTime(2008, 9, 5, 18, 18, 0, DateTimeKind.Utc), cable.Created);
        Assert.Equal(DateTimeKind.Utc, cable.Created!.Value.Kind);
        Assert.Equal("Embassy Brussels", cable.Origin);
        Assert.Equal("E.O. 12958: DECL: 09/05/2018", cable.ExecutiveOrder);
        Assert.Equal(new DateOnly(2018, 9, 5), cable.DeclassificationDate);
        Assert.False(cable.IsPartialExtract);
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Header(string rendering)
    {
        var header = Of(rendering).Header;
        Assert.Equal("VZCZCXRO6530", header.TransmissionId);
        Assert.Equal(["RUEHFL", "RUEHKW", "RUEHLA", "RUEHROV", "RUEHSR"], header.RoutingIndicators);
        Assert.Equal("RUEHBS", header.OriginatingStation);
        Assert.Equal("1390", header.StationSerialNumber);
        Assert.Equal("01", header.Section);
        Assert.Equal("2491818", header.FilingTime);
        Assert.Equal("ZNY CCCCC ZZH", header.SecurityLine);
        Assert.Equal("P 051818Z SEP 08", header.DateTimeGroup);
        Assert.Equal("P", header.Precedence);
        Assert.Null(header.SecondaryPrecedence);
        Assert.Equal("AMEMBASSY BRUSSELS", header.From);
        Assert.Empty(header.Exclusions);

        var to = Assert.Single(header.To);
        Assert.Equal("RUEHC", to.RoutingIndicator);
        Assert.Equal("SECSTATE WASHDC", to.Name);
        Assert.Equal("PRIORITY", to.Precedence);
        Assert.Equal("7971", to.MessageContinuityNumber);
        var info = Assert.Single(header.Info);
        Assert.Equal("RUEHZL", info.RoutingIndicator);
        Assert.Equal("EUROPEAN POLITICAL COLLECTIVE", info.Name);
        Assert.Equal("PRIORITY", info.Precedence);
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Classification(string rendering)
    {
        var classification = Of(rendering).Classification;
        Assert.Equal(ClassificationLevel.Confidential, classification.Level);
        Assert.Equal("CONFIDENTIAL", classification.Label);
        Assert.Equal(["SIPDIS"], classification.Caveats);
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Fields(string rendering)
    {
        var cable = Of(rendering);
        Assert.Equal(["PREL", "BE", "GG", "RS"], cable.Tags.Select(t => t.Value));
        Assert.Equal(["PREL", "BE", "GG", "RU"], cable.RawTags);
        Assert.Equal(TagKind.Subject, cable.Tags[0].Kind);
        Assert.Equal(TagKind.Geographic, cable.Tags[1].Kind);
        Assert.Equal("FM DE GUCHT ENCOUNTERS RESOLUTE FM LAVROV IN MOSCOW", cable.Subject);
        Assert.Empty(cable.References);
        var classifier = Assert.Single(cable.ClassifiedBy);
        Assert.Equal("Wayne Bush", classifier.Name);
        Assert.Equal("DCM", classifier.Title);
        Assert.Equal(["1.4(b)", "1.4(d)"], cable.ClassificationReasons);
        Assert.StartsWith("Russian FM Lavrov told Belgian FM De Gucht September 3", cable.Summary, StringComparison.Ordinal);
        Assert.EndsWith("in favor of granting Georgia a membership action plan.", cable.Summary, StringComparison.Ordinal);
        Assert.Empty(cable.Signers);
        Assert.Empty(cable.Warnings);
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Paragraphs_are_numbered_1_to_9_and_marked_C(string rendering)
    {
        var paragraphs = Of(rendering).Paragraphs;
        Assert.Equal(Enumerable.Range(1, 9).Select(n => (int?)n), paragraphs.Select(p => p.Number));
        Assert.All(paragraphs, p => Assert.Equal("C", p.Marking));
        Assert.StartsWith("Summary: Russian FM Lavrov", paragraphs[0].Text, StringComparison.Ordinal);
        Assert.EndsWith("End Summary.", paragraphs[0].Text, StringComparison.Ordinal);
        Assert.Contains("However, as it turned out, Lavrov was not in a mood", paragraphs[1].Text, StringComparison.Ordinal);
        Assert.Contains("the Ossetians do not want to take responsibility", paragraphs[3].Text, StringComparison.Ordinal);
        Assert.Contains("difficulties in international organizations like the WTO", paragraphs[5].Text, StringComparison.Ordinal);
        Assert.Contains("his European colleagues to think more carefully", paragraphs[8].Text, StringComparison.Ordinal);
        Assert.DoesNotContain(paragraphs, p => p.Text.Contains("LAVROV: \"DEAL WITH KOKOITY\"", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Body_has_no_page_markers_or_broken_sentences(string rendering)
    {
        var body = Of(rendering).Body;
        Assert.StartsWith("C O N F I D E N T I A L SECTION 01 OF 03 BRUSSELS 001390", body, StringComparison.Ordinal);
        Assert.DoesNotContain("BRUSSELS 00001390", body, StringComparison.Ordinal);
        Assert.DoesNotContain("](#)", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\n\n\n", body, StringComparison.Ordinal);
        Assert.Contains("\n¶3. (C) He spoke about Georgia", body, StringComparison.Ordinal);
        Assert.Contains("the Ossetians do not want to take responsibility", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Damaged_and_clean_renderings_parse_the_same()
    {
        Assert.Equal(s_clean.ReferenceId, s_damaged.ReferenceId);
        Assert.Equal(s_clean.Created, s_damaged.Created);
        Assert.Equal(s_clean.Origin, s_damaged.Origin);
        Assert.Equal(s_clean.Classification.Level, s_damaged.Classification.Level);
        Assert.Equal(s_clean.Classification.Label, s_damaged.Classification.Label);
        Assert.Equal(s_clean.Classification.Caveats, s_damaged.Classification.Caveats);
        Assert.Equal(s_clean.Header with { RoutingIndicators = [], To = [], Info = [], Exclusions = [] }, s_damaged.Header with { RoutingIndicators = [], To = [], Info = [], Exclusions = [] });
        Assert.Equal(s_clean.Header.RoutingIndicators, s_damaged.Header.RoutingIndicators);
        Assert.Equal(s_clean.Header.To.Select(r => r with { Exclusions = [] }), s_damaged.Header.To.Select(r => r with { Exclusions = [] }));
        Assert.Equal(s_clean.Header.Info.Select(r => r with { Exclusions = [] }), s_damaged.Header.Info.Select(r => r with { Exclusions = [] }));
        Assert.Equal(s_clean.ExecutiveOrder, s_damaged.ExecutiveOrder);
        Assert.Equal(s_clean.DeclassificationDate, s_damaged.DeclassificationDate);
        Assert.Equal(s_clean.Tags, s_damaged.Tags);
        Assert.Equal(s_clean.RawTags, s_damaged.RawTags);
        Assert.Equal(s_clean.Subject, s_damaged.Subject);
        Assert.Equal(s_clean.References, s_damaged.References);
        Assert.Equal(s_clean.ClassifiedBy, s_damaged.ClassifiedBy);
        Assert.Equal(s_clean.ClassificationReasons, s_damaged.ClassificationReasons);
        Assert.Equal(s_clean.Summary, s_damaged.Summary);
        Assert.Equal(s_clean.Paragraphs, s_damaged.Paragraphs);
        Assert.Equal(s_clean.Signers, s_damaged.Signers);
        Assert.Equal(s_clean.IsPartialExtract, s_damaged.IsPartialExtract);
        Assert.Equal(s_clean.Body, s_damaged.Body);
        Assert.Equal(s_clean.Warnings, s_damaged.Warnings);
    }
}
