using Cables.Parsing.Telegram;

namespace Cables.Parsing.Tests;

/// <summary>Header layouts from the corpus: full VZCZC headers, cables.csv rows starting at the DTG, old page layouts, WikiLeaks partial extracts.</summary>
public sealed class HeaderTests
{
    [Theory]
    [InlineData("DE RUEHBS #1390/01 2491818", "RUEHBS", "1390", "01", "2491818")]
    [InlineData("DE RUEHEG #0123 0451530", "RUEHEG", "0123", null, "0451530")]
    [InlineData("DE RUEHTRO #0248/01 0810911", "RUEHTRO", "0248", "01", "0810911")]
    [InlineData("DE RUEHC", "RUEHC", null, null, null)]
    public void Reads_the_DE_line(string line, string station, string? serial, string? section, string? filing)
    {
        HeaderReader.ReadDe(line, out var s, out var n, out var sec, out var time);
        Assert.Equal(station, s);
        Assert.Equal(serial, n);
        Assert.Equal(section, sec);
        Assert.Equal(filing, time);
    }

    [Fact]
    public void Full_header_with_continued_routing_and_dual_precedence()
    {
        var cable = CableParser.ParseCore(
            """
            VZCZCXRO4253
            OO RUEHAO RUEHCD RUEHGA RUEHGD RUEHHA RUEHHO RUEHMC RUEHMT RUEHNG
            RUEHNL RUEHRD RUEHRG RUEHRS RUEHTM RUEHVC
            DE RUEHCV #1443/01 3141111
            ZNY SSSSS ZZH
            O P 101111Z NOV 09
            FM AMEMBASSY CARACAS
            TO RHEHNSC/NSC WASHDC IMMEDIATE
            RUEHC/SECSTATE WASHDC IMMEDIATE 3968
            XMT AMCONSUL CURACAO

            S E C R E T SECTION 01 OF 02 CARACAS 001443

            SIPDIS

            E.O. 12958: DECL: 11/09/2029
            TAGS: PREL PINS MARR MCAP MOPS VZ
            SUBJECT: CHAVEZ LAYING THE GROUNDWORK FOR CONFRONTATION
            """,
            null);

        Assert.Equal("VZCZCXRO4253", cable.Header.TransmissionId);
        Assert.Equal(15, cable.Header.RoutingIndicators.Count);
        Assert.Equal("RUEHVC", cable.Header.RoutingIndicators[^1]);
        Assert.Equal("RUEHCV", cable.Header.OriginatingStation);
        Assert.Equal("O", cable.Header.Precedence);
        Assert.Equal("P", cable.Header.SecondaryPrecedence);
        Assert.Equal(["AMCONSUL CURACAO"], cable.Header.Exclusions);
        Assert.Equal("09CARACAS1443", cable.ReferenceId);
        Assert.Equal(new DateTime(2009, 11, 10, 11, 11, 0, DateTimeKind.Utc), cable.Created);
        Assert.Equal("Embassy Caracas", cable.Origin);
        Assert.Equal("SECRET", cable.Classification.Label);
    }

    [Fact]
    public void Csv_row_starts_at_the_DTG_line()
    {
        var text = File.ReadAllText(Cables.Testing.SharedFolder.Path("corpus", "cables", "00ATHENS1917.txt"));
        var cable = CableParser.ParseCore(text, null);
        Assert.Null(cable.Header.TransmissionId);
        Assert.Equal("O 201218Z APR 00", cable.Header.DateTimeGroup);
        Assert.Equal("AMEMBASSY ATHENS", cable.Header.From);
        Assert.Equal("00ATHENS1917", cable.ReferenceId);
        Assert.Equal(new DateTime(2000, 4, 20, 12, 18, 0, DateTimeKind.Utc), cable.Created);
        Assert.Equal("Embassy Athens", cable.Origin);
        Assert.Equal("CONFIDENTIAL", cable.Classification.Label);
        Assert.StartsWith("C O N F I D E N T I A L SECTION 01 OF 02 ATHENS 001917", cable.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Old_layout_with_page_header_before_the_FM_line()
    {
        var cable = CableParser.ParseCore(
            """
            UNCLASSIFIED     PTQ8786

            PAGE 01        STATE   228220  010044Z
            ORIGIN ALS-01

            INFO  LOG-00   MFS-01   NP-00    AF-00
                  SAS-00   MSPD-00    /024R

            P 010042Z DEC 00
            FM SECSTATE WASHDC
            TO ALL DIPLOMATIC AND CONSULAR POSTS PRIORITY

            UNCLAS STATE 228220

            E.O. 12958: N/A
            TAGS: AMGT
            SUBJECT: LEGAL ADVISER'S OFFICE
            """,
            null);

        Assert.Equal("00STATE228220", cable.ReferenceId);
        Assert.Equal(new DateTime(2000, 12, 1, 0, 42, 0, DateTimeKind.Utc), cable.Created);
        Assert.Equal("Secretary of State", cable.Origin);
        Assert.Equal("UNCLASSIFIED", cable.Classification.Label);
    }

    [Fact]
    public void Partial_extract_keeps_only_a_DTG()
    {
        var cable = CableParser.ParseCore(
            """
            This record is a partial extract of the original cable. The full text of the original cable is not available.

            292031Z Sep 05

            S E C R E T SECTION 01 OF 02 BOGOTA 009257

            SIPDIS

            NOFORN

            E.O. 12958: DECL: 09/30/2015
            """,
            null);

        Assert.True(cable.IsPartialExtract);
        Assert.Equal("05BOGOTA9257", cable.ReferenceId);
        Assert.Equal(new DateTime(2005, 9, 29, 20, 31, 0, DateTimeKind.Utc), cable.Created);
        Assert.Equal("Embassy Bogota", cable.Origin);
        Assert.Equal("SECRET//NOFORN", cable.Classification.Label);
        Assert.DoesNotContain("partial extract", cable.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_header_the_id_comes_from_metadata_or_is_missing_with_a_warning()
    {
        const string text = "UNCLAS KINSHASA 008356\n\nSIPDIS\n\nE.O. 12958: N/A\nTAGS: PGOV\n";
        var alone = CableParser.ParseCore(text, null);
        Assert.Null(alone.ReferenceId);
        Assert.Null(alone.Created);
        Assert.Contains(alone.Warnings, w => w.Code == Model.WarningCode.MissingReferenceId);
        Assert.Contains(alone.Warnings, w => w.Code == Model.WarningCode.MissingDateTimeGroup);
        Assert.Equal("Embassy Kinshasa", alone.Origin);

        var created = new DateTime(2000, 12, 15, 7, 28, 0, DateTimeKind.Utc);
        var withMetadata = CableParser.ParseCore(text, new Model.SourceMetadata { ReferenceId = "00KINSHASA8356", Created = created });
        Assert.Equal("00KINSHASA8356", withMetadata.ReferenceId);
        Assert.Equal(created, withMetadata.Created);
        Assert.DoesNotContain(withMetadata.Warnings, w => w.Code == Model.WarningCode.MissingReferenceId);
    }

    [Fact]
    public void Text_and_metadata_disagreeing_on_the_id_is_flagged()
    {
        const string text = "P 051818Z SEP 08\nFM AMEMBASSY BRUSSELS\n\nC O N F I D E N T I A L BRUSSELS 001390\n";
        var cable = CableParser.ParseCore(text, new Model.SourceMetadata { ReferenceId = "08BRUSSELS1391" });
        Assert.Equal("08BRUSSELS1391", cable.ReferenceId);
        Assert.Contains(cable.Warnings, w => w.Code == Model.WarningCode.InconsistentMetadata && w.Message.Contains("08BRUSSELS1390", StringComparison.Ordinal));
    }
}
