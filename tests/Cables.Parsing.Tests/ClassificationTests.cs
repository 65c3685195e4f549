namespace Cables.Parsing.Tests;

/// <summary>Banners and caveat lines from the corpus, and the archive labels they earn (rules measured on truth.jsonl).</summary>
public sealed class ClassificationTests
{
    [Theory]
    [InlineData("C O N F I D E N T I A L SECTION 01 OF 03 BRUSSELS 001390", ClassificationLevel.Confidential, "CONFIDENTIAL")]
    [InlineData("S E C R E T STATE 012345", ClassificationLevel.Secret, "SECRET")]
    [InlineData("S E C R E T NOFORN MOGADISHU 001643", ClassificationLevel.Secret, "SECRET//NOFORN")]
    [InlineData("S E C R E T N O F O R N MOGADISHU 01643", ClassificationLevel.Secret, "SECRET//NOFORN")]
    [InlineData("UNCLAS BRUSSELS 001390", ClassificationLevel.Unclassified, "UNCLASSIFIED")]
    [InlineData("UNCLAS SENSITIVE SECTION 01 OF 02 BRASILIA 000123", ClassificationLevel.UnclassifiedForOfficialUseOnly, "UNCLASSIFIED//FOR OFFICIAL USE ONLY")]
    [InlineData("UNCLAS E F T O ROME 001234", ClassificationLevel.Unclassified, "UNCLASSIFIED")]
    [InlineData("SECRET SECTION 01 of 03 RIYADH 000182", ClassificationLevel.Secret, "SECRET")]
    [InlineData("SS E C R E T SECTION 01 OF 02 PARIS 001699", ClassificationLevel.Secret, "SECRET")]
    [InlineData("\"S E C R E T SECTION 01 OF 02 TEL AVIV 000145", ClassificationLevel.Secret, "SECRET")]
    [InlineData("T O P S E C R E T STATE 000001", ClassificationLevel.TopSecret, "TOP SECRET")]
    [InlineData("LIMITED OFFICIAL USE LONDON 001234", ClassificationLevel.UnclassifiedForOfficialUseOnly, "UNCLASSIFIED//FOR OFFICIAL USE ONLY")]
    [InlineData("UNCLASSIFIED LIMITED OFFICIAL USE SECTION 01 OF 04 ZAGREB 00827", ClassificationLevel.Unclassified, "UNCLASSIFIED")]
    public void Banner_gives_level_and_label(string banner, ClassificationLevel level, string label)
    {
        var cable = CableParser.ParseCore(banner + "\n\nE.O. 12958: N/A\n", null);
        Assert.Equal(level, cable.Classification.Level);
        Assert.Equal(label, cable.Classification.Label);
    }

    /// <summary>Damaged banners still name level, post and serial: wide gaps, a split or doubled letter, lower case, the city glued on.</summary>
    [Theory]
    [InlineData("C O N F I D E N T I A L        TEL AVIV 04032", ClassificationLevel.Confidential, "06TELAVIV4032")]
    [InlineData("CO N F I D E N T I A L BOGOTA 005603", ClassificationLevel.Confidential, "06BOGOTA5603")]
    [InlineData("SE C R E T TUNIS 000193", ClassificationLevel.Secret, "06TUNIS193")]
    [InlineData("CC O N F I D E N T I A L SECTION 01 OF 02 CAIRO 000079", ClassificationLevel.Confidential, "06CAIRO79")]
    [InlineData("UUNCLAS MANAGUA 000123", ClassificationLevel.Unclassified, "06MANAGUA123")]
    [InlineData("S e c r e t state 135366", ClassificationLevel.Secret, "06STATE135366")]
    [InlineData("S e c r e t section 01 of 14 astana 000251", ClassificationLevel.Secret, "06ASTANA251")]
    [InlineData("C O N F I D E N T I A LCAIRO 000079 SIPDIS", ClassificationLevel.Confidential, "06CAIRO79")]
    [InlineData("S E C R E TTUNIS 000193", ClassificationLevel.Secret, "06TUNIS193")]
    [InlineData("U N C L A S S I F I E DBERN 000012", ClassificationLevel.Unclassified, "06BERN12")]
    public void Damaged_banners_still_give_level_and_id(string banner, ClassificationLevel level, string id)
    {
        var cable = CableParser.ParseCore($"R 011200Z JAN 06\n\n{banner}\n\nE.O. 12958: N/A\n", null);
        Assert.Equal(level, cable.Classification.Level);
        Assert.Equal(id, cable.ReferenceId);
    }

    [Theory]
    [InlineData("Secret talks in Cairo 2009")]
    [InlineData("Secretary Rice met Minister 2009")]
    [InlineData("Confidential sources in Bogota 005603 said")]
    [InlineData("SECRETARIAT STATE 012345")]
    public void Prose_opening_with_a_level_word_is_no_banner(string line)
    {
        var cable = CableParser.ParseCore($"R 011200Z JAN 06\n\n{line}\n\nE.O. 12958: N/A\n", null);
        Assert.Equal(ClassificationLevel.Unknown, cable.Classification.Level);
        Assert.Null(cable.ReferenceId);
    }

    [Theory]
    [InlineData("SIPDIS\n\nNOFORN", "CONFIDENTIAL//NOFORN")]
    [InlineData("SIPDIS\n\nCONFIDENTIAL NOFORN", "CONFIDENTIAL//NOFORN")]
    [InlineData("NOFORN\nSENSITIVE\nSIPDIS", "CONFIDENTIAL")]
    [InlineData("SIPDIS\n\nSENSITIVE", "CONFIDENTIAL")]
    [InlineData("SIPDIS", "CONFIDENTIAL")]
    public void Caveat_lines_under_the_banner(string lines, string label)
    {
        var cable = CableParser.ParseCore($"C O N F I D E N T I A L SECTION 01 OF 02 BOGOTA 004328\n\n{lines}\n\nE.O. 12958: DECL: 04/28/2014\n", null);
        Assert.Equal(label, cable.Classification.Label);
    }

    [Theory]
    [InlineData("SENSITIVE, SIPDIS", "UNCLASSIFIED//FOR OFFICIAL USE ONLY")]
    [InlineData("SIPDIS SENSITIVE SIPDIS USDOC FOR ITA/MAC/OSA", "UNCLASSIFIED//FOR OFFICIAL USE ONLY")]
    [InlineData("SENSITIVE BUT UNCLASSIFIED", "UNCLASSIFIED")]
    public void Unclassified_sensitive_is_for_official_use_only(string lines, string label)
    {
        var cable = CableParser.ParseCore($"UNCLAS REYKJAVIK 000062\n\nSIPDIS\n\n{lines}\n\nE.O. 12958: N/A\n", null);
        Assert.Equal(label, cable.Classification.Label);
    }

    /// <summary>No banner and no security line (a cable that goes from its header straight to SIPDIS): the highest paragraph marking is the level.</summary>
    [Theory]
    [InlineData("¶1. (U) This is an action request.\n\n¶2. (SBU) Background.", "UNCLASSIFIED//FOR OFFICIAL USE ONLY")]
    [InlineData("1. (C) Summary.\n\n2. (S/NF) Detail.\n\n3. (U) Comment.", "SECRET//NOFORN")]
    [InlineData("1. (S) Summary.\n\n2. (C/NF) Detail.", "SECRET")]
    [InlineData("1. (U) Summary.", "UNCLASSIFIED")]
    [InlineData("1. Summary without marking.", null)]
    public void Without_banner_or_security_line_the_paragraph_markings_give_the_level(string paragraphs, string? label)
    {
        var cable = CableParser.ParseCore($"O 250101Z APR 08\nFM SECSTATE WASHDC\nTO ALL DIPLOMATIC AND CONSULAR POSTS COLLECTIVE IMMEDIATE\n\nSipdis\n\nE.o. 12958: n/a\nSubject: x\n\n{paragraphs}\n", null);
        Assert.Equal(label, cable.Classification.Label);
        Assert.Contains(cable.Warnings, w => w.Code == WarningCode.MissingClassification);
    }

    [Fact]
    public void Business_sensitive_is_not_the_sensitive_caveat()
    {
        var cable = CableParser.ParseCore("UNCLAS SECTION 01 OF 03 ADANA 0012\n\nSIPDIS\n\nBUSINESS SENSITIVE\n\nE.O. 12958: N/A\n", null);
        Assert.Equal("UNCLASSIFIED", cable.Classification.Label);
    }

    [Theory]
    [InlineData("ZNY CCCCC ZZH", ClassificationLevel.Confidential)]
    [InlineData("ZNY SSSSS ZZH", ClassificationLevel.Secret)]
    [InlineData("ZNR UUUUU ZZH", ClassificationLevel.Unclassified)]
    [InlineData("ZNY EEEEE ZZH", ClassificationLevel.Unclassified)]
    public void Security_line_is_the_fallback(string securityLine, ClassificationLevel level)
    {
        var cable = CableParser.ParseCore($"VZCZCXYZ0000\nPP RUEHWEB\nDE RUEHLO #0255/01 0351015\n{securityLine}\nP 041015Z FEB 10\nFM AMEMBASSY LONDON\n\nbody without banner\n", null);
        Assert.Equal(level, cable.Classification.Level);
    }

    [Fact]
    public void Paragraph_markings_are_kept()
    {
        var cable = CableParser.ParseCore(
            "S E C R E T STATE 012345\n\nE.O. 12958: DECL: 01/01/2019\n\n¶1. (S/NF) First.\n\n2. (SBU) Second\ncontinued.\n\n3. (U) Third.\n\n¶4. No marking.\n\nRICE\n",
            null);
        Assert.Equal([(1, "S/NF"), (2, "SBU"), (3, "U"), (4, null)], cable.Paragraphs.Select(p => ((int)p.Number!, p.Marking)));
        Assert.Equal("Second continued.", cable.Paragraphs[1].Text);
        Assert.Equal("No marking.", cable.Paragraphs[3].Text);
    }
}
