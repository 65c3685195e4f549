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
        AssertIdentity(cable, "09CARACAS1443", new DateTime(2009, 11, 10, 11, 11, 0, DateTimeKind.Utc), "Embassy Caracas", "SECRET");
    }

    [Fact]
    public void Csv_row_starts_at_the_DTG_line()
    {
        var text = File.ReadAllText(Cables.Testing.SharedFolder.Path("corpus", "cables", "00ATHENS1917.txt"));
        var cable = CableParser.ParseCore(text, null);
        Assert.Null(cable.Header.TransmissionId);
        Assert.Equal("O 201218Z APR 00", cable.Header.DateTimeGroup);
        Assert.Equal("AMEMBASSY ATHENS", cable.Header.From);
        AssertIdentity(cable, "00ATHENS1917", new DateTime(2000, 4, 20, 12, 18, 0, DateTimeKind.Utc), "Embassy Athens", "CONFIDENTIAL");
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

        AssertIdentity(cable, "00STATE228220", new DateTime(2000, 12, 1, 0, 42, 0, DateTimeKind.Utc), "Secretary of State", "UNCLASSIFIED");
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
        AssertIdentity(cable, "05BOGOTA9257", new DateTime(2005, 9, 29, 20, 31, 0, DateTimeKind.Utc), "Embassy Bogota", "SECRET//NOFORN");
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

    /// <summary>A telegram pasted from a mail client: sender and date lines, "Cable Text:", a copy of the banner, then the whole telegram.</summary>
    [Fact]
    public void Header_pasted_from_a_mail_client_is_found_inside()
    {
        var cable = CableParser.ParseCore(
            """
            null
            Carol X Weakley  10/13/2006 02:52:21 PM  From  DB/Inbox:  Carol X Weakley

            Cable
            Text:

            C O N F I D E N T I A L        TEL AVIV 04032

            SIPDIS
            CXTelA:
                ACTION: POL

            DISSEMINATION: POL

            VZCZCTVI681
            OO RUEHC RUEHXK RHEHNSC
            DE RUEHTV #4032/01 2851507
            ZNY CCCCC ZZH
            O 121507Z OCT 06
            FM AMEMBASSY TEL AVIV
            TO RUEHC/SECSTATE WASHDC IMMEDIATE 6902

            C O N F I D E N T I A L SECTION 01 OF 02 TEL AVIV

            SIPDIS

            E.O. 12958: DECL: 10/12/2011
            TAGS: PREL PBTS
            SUBJECT: USSC DAYTON RAISES RAFAH
            """,
            null);

        Assert.Equal("VZCZCTVI681", cable.Header.TransmissionId);
        AssertIdentity(cable, "06TELAVIV4032", new DateTime(2006, 10, 12, 15, 7, 0, DateTimeKind.Utc), "Embassy Tel Aviv", "CONFIDENTIAL");
        Assert.Equal("USSC DAYTON RAISES RAFAH", cable.Subject);
        Assert.StartsWith("C O N F I D E N T I A L SECTION 01 OF 02 TEL AVIV", cable.Body, StringComparison.Ordinal);
    }

    /// <summary>The mail client's copy of the banner names the same cable as the telegram's own banner after the header.</summary>
    [Fact]
    public void Mail_client_copy_of_the_banner_yields_to_the_telegram_own()
    {
        var cable = CableParser.ParseCore(
            """
            null
            Diana T Fritz  12/06/2006 06:09:54 PM  From  DB/Inbox:  Search Results

            Cable
            Text:

            UNCLAS        DUBAI 00126

            SIPDIS
            CXABU:
                ACTION: ECON

            VZCZCADO491
            PP RUEHAD
            DE RUEHDE #0126/01 0091342
            ZNR UUUUU ZZH
            P 091342Z JAN 05
            FM AMCONSUL DUBAI
            TO RUEHC/SECSTATE WASHDC PRIORITY 0827

            UNCLAS SECTION 01 OF 03 DUBAI 000126

            SIPDIS

            SENSITIVE

            E.O. 12958: N/A
            TAGS: ECON ETRD AE
            SUBJECT: DUBAI PORTS
            """,
            null);

        Assert.Equal("VZCZCADO491", cable.Header.TransmissionId);
        Assert.Equal("AMCONSUL DUBAI", cable.Header.From);
        Assert.Equal("05DUBAI126", cable.ReferenceId);
        Assert.Equal(new DateTime(2005, 1, 9, 13, 42, 0, DateTimeKind.Utc), cable.Created);
        Assert.Equal("UNCLASSIFIED//FOR OFFICIAL USE ONLY", cable.Classification.Label);
        Assert.False(cable.IsPartialExtract);
        Assert.DoesNotContain("Diana", cable.Body, StringComparison.Ordinal);
    }

    /// <summary>A page header above a DTG-only header: the banner under the header gives the serial.</summary>
    [Theory]
    [InlineData("UNCLASSIFIED   STATE   00100153\nO 251814Z SEP 09\nFM SECSTATE WASHDC\nTO ALL DIPLOMATIC AND CONSULAR POSTS COLLECTIVE IMMEDIATE\n\nUNCLAS SECTION 01 OF 02 STATE 100153\n\nSENSITIVE\n\nE.O. 12958: N/A\nTAGS: IR KNNP\nSUBJECT: A FACILITY\n")]
    [InlineData("UNCLASSIFIED   STATE   00100153\n\nO 251814Z SEP 09\nFM SECSTATE WASHDC\nTO ALL DIPLOMATIC AND CONSULAR POSTS COLLECTIVE IMMEDIATE\n\nUNCLAS SECTION 01 OF 02 STATE 100153\n\nSENSITIVE\n\nE.O. 12958: N/A\nTAGS: IR KNNP\nSUBJECT: A FACILITY\n")]
    public void State_cable_with_a_page_header_above_its_DTG(string text)
    {
        var cable = CableParser.ParseCore(text, null);
        AssertIdentity(cable, "09STATE100153", new DateTime(2009, 9, 25, 18, 14, 0, DateTimeKind.Utc), "Secretary of State", "UNCLASSIFIED//FOR OFFICIAL USE ONLY");
        Assert.Equal("A FACILITY", cable.Subject);
    }

    /// <summary>A mirror that repeats TAGS and SUBJECT above the telegram's own (lower-case) banner: that banner still gives the serial.</summary>
    [Fact]
    public void Banner_below_repeated_field_lines_gives_the_serial()
    {
        var cable = CableParser.ParseCore(
            """
            O 130854Z AUG 09
            FM AMEMBASSY ULAANBAATAR
            TO SECSTATE WASHDC IMMEDIATE 2981

            SECRET

            TAGS: PREL PGOV MOPS KNNP MG
            SUBJECT: MONGOLIA'S CONSULTATIONS

            S e c r e t ulaanbaatar 000234

            E.o. 12958: decl: 08/13/2034
            """,
            null);

        Assert.Equal("09ULAANBAATAR234", cable.ReferenceId);
        Assert.Equal("SECRET", cable.Classification.Label);
        Assert.Equal("MONGOLIA'S CONSULTATIONS", cable.Subject);
    }

    /// <summary>No banner, or one without a serial: the DE line's serial, the FM line's post and the DTG's year make the id, and a warning says so.</summary>
    [Theory]
    [InlineData("SIPDIS\n\nE.O. 12958: N/A\nTAGS: PGOV\n")]
    [InlineData("C O N F I D E N T I A L SECTION 01 OF 02\n\nSIPDIS\n\nE.O. 12958: N/A\n")]
    [InlineData("CONFIDENTIAL\n\nE.O. 12958: N/A\n")]
    [InlineData("C O N F I D E N T I A L BOGOTA 00###\n\nE.O. 12958: N/A\n")]
    public void Without_a_banner_serial_the_id_comes_from_DE_and_FM(string body)
    {
        var cable = CableParser.ParseCore($"VZCZCXRO1234\nPP RUEHBO\nDE RUEHBO #5603/01 1712205\nZNY CCCCC ZZH\nP 202205Z JUN 06\nFM AMEMBASSY BOGOTA\nTO RUEHC/SECSTATE WASHDC PRIORITY 1234\n\n{body}", null);
        Assert.Equal("06BOGOTA5603", cable.ReferenceId);
        Assert.Equal(new DateTime(2006, 6, 20, 22, 5, 0, DateTimeKind.Utc), cable.Created);
        Assert.Equal(Model.ClassificationLevel.Confidential, cable.Classification.Level);
        var warning = Assert.Single(cable.Warnings, w => w.Code == Model.WarningCode.ReferenceIdFromHeader);
        Assert.Contains("DE line", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_banner_serial_needs_no_warning_about_the_source()
    {
        var cable = CableParser.ParseCore("DE RUEHBO #5603/01 1712205\nP 202205Z JUN 06\nFM AMEMBASSY BOGOTA\n\nC O N F I D E N T I A L BOGOTA 005603\n", null);
        Assert.Equal("06BOGOTA5603", cable.ReferenceId);
        Assert.DoesNotContain(cable.Warnings, w => w.Code is Model.WarningCode.ReferenceIdFromHeader or Model.WarningCode.InconsistentMetadata);
    }

    /// <summary>A page that glued one post's header to another post's body: the banner is not this cable's, and without a DE serial there is no id.</summary>
    [Fact]
    public void Banner_of_another_post_gives_no_id()
    {
        var text = "P 200414Z MAR 09\nFM AMEMBASSY BANGKOK\nTO SECSTATE WASHDC PRIORITY 6457\n\nC O N F I D E N T I A L SECTION 01 OF 03 TAIPEI 000320\n\nE.O. 12958: DECL: 03/19/2019\n";
        var cable = CableParser.ParseCore(text, null);
        Assert.Null(cable.ReferenceId);
        Assert.Contains(cable.Warnings, w => w.Code == Model.WarningCode.InconsistentMetadata && w.Message.Contains("AMEMBASSY BANGKOK", StringComparison.Ordinal));
        Assert.Equal("Embassy Bangkok", cable.Origin);

        var withDe = CableParser.ParseCore("DE RUEHBK #0706/01 0790414\n" + text, null);
        Assert.Equal("09BANGKOK706", withDe.ReferenceId);
    }

    /// <summary>The archive spells the post as the banner does when the FM line adds an office (USEU BRUSSELS, AIT TAIPEI).</summary>
    [Theory]
    [InlineData("USEU BRUSSELS", "RUEHBS #1399/01 2931334", "BRUSSELS 001399", "09BRUSSELS1399")]
    [InlineData("USEU BRUSSELS", "RUEHBS #1399/01 2931334", "USEU BRUSSELS 001399", "09USEUBRUSSELS1399")]
    [InlineData("AIT TAIPEI", "RUEHIN #0275/01 0710957", "AIT TAIPEI 000275", "09AITTAIPEI275")]
    [InlineData("USMISSION USNATO", "RUEHNO #0455/01 2931334", "USNATO 000455", "09USNATO455")]
    public void Banner_spelling_of_the_post_is_the_id(string from, string de, string banner, string id)
    {
        var cable = CableParser.ParseCore($"DE {de}\nP 201334Z OCT 09\nFM {from}\n\nC O N F I D E N T I A L SECTION 01 OF 04 {banner}\n\nSIPDIS\n", null);
        Assert.Equal(id, cable.ReferenceId);
        Assert.DoesNotContain(cable.Warnings, w => w.Code == Model.WarningCode.InconsistentMetadata);
    }

    /// <summary>
    /// Banner and DE serial disagree at the same post: a cleanly written banner serial is a drafting slip the archive
    /// corrected from the DE line; a serial run into letters is a damaged line the archive read as written.
    /// </summary>
    [Theory]
    [InlineData("RUEHNR #4427/01 3171443", "NAIROBI", "NAIROBI 004428", "07NAIROBI4427")]
    [InlineData("RUEHRK #0401/01 2991754", "REYKJAVIK", "REYKJAVIK 00040QSITIVE", "07REYKJAVIK40")]
    [InlineData("RUEHNR #4427/01 3171443", "NAIROBI", "NAIROBI 014427", "07NAIROBI14427")]
    public void Banner_and_DE_serials_that_disagree(string de, string post, string banner, string id)
    {
        var cable = CableParser.ParseCore($"DE {de}\nP 131443Z NOV 07\nFM AMEMBASSY {post}\n\nUNCLAS SECTION 01 OF 02 {banner}\n\nSIPDIS\n", null);
        Assert.Equal(id, cable.ReferenceId);
    }

    /// <summary>The DE line's filing time repeats the DTG's hour and minute: where only the day differs, the DTG's day is a slip.</summary>
    [Theory]
    [InlineData("DE RUEHSM #0748/01 3121632", "R 101632Z NOV 08", "2008-11-07T16:32:00Z", true)]
    [InlineData("DE RUEHSM #0748/01 3151632", "R 101632Z NOV 08", "2008-11-10T16:32:00Z", false)]
    [InlineData("DE RUEHSM #0748/01 3121700", "R 101632Z NOV 08", "2008-11-10T16:32:00Z", false)]
    [InlineData("DE RUEHSM #0748/01 2121632", "R 101632Z NOV 08", "2008-11-10T16:32:00Z", false)]
    [InlineData("DE RUEHMC #0100/01 0771547", "R 031719Z MAR 09", "2009-03-03T17:19:00Z", false)]
    public void A_DTG_day_that_the_DE_filing_time_contradicts(string de, string dtg, string created, bool corrected)
    {
        var cable = CableParser.ParseCore($"{de}\n{dtg}\nFM AMEMBASSY STOCKHOLM\n\nS E C R E T STOCKHOLM 000748\n", null);
        Assert.Equal(DateTime.Parse(created, null, System.Globalization.DateTimeStyles.AdjustToUniversal), cable.Created);
        Assert.Equal(corrected, cable.Warnings.Any(w => w.Message.Contains("filing time", StringComparison.Ordinal)));
    }

    /// <summary>What the archive knows a cable by: reference id, date-time group (UTC), origin post and classification.</summary>
    private static void AssertIdentity(ParsedCable cable, string referenceId, DateTime created, string origin, string classification)
    {
        Assert.Equal(referenceId, cable.ReferenceId);
        Assert.Equal(created, cable.Created);
        Assert.Equal(origin, cable.Origin);
        Assert.Equal(classification, cable.Classification.Label);
    }
}
