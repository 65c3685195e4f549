namespace Cables.Parsing.Tests.Fields;

/// <summary>What the conformance vectors do not cover: reasons, kinds, labels, raw tags, exclusions, API shapes.</summary>
public class FieldExtractorTests
{
    [Theory]
    [InlineData("Classified By: Ambassador Glyn T. Davies for reasons 1.4 b and d ", new[] { "1.4(b)", "1.4(d)" })]
    [InlineData("CLASSIFIED BY: Rose E. Gottemoeller, Assistant Secretary; REASON: 1.4(B), (D) ", new[] { "1.4(b)", "1.4(d)" })]
    [InlineData("1.  (U)  CLASSIFIED BY POLOFF JEFFREY JACOBS, 1.5 (D).\n\n2.  (C)", new[] { "1.5(d)" })]
    [InlineData("Classified By: DCM Liz Dibble for reasons 1.4 (a), \n(b) and (d). \n", new[] { "1.4(a)", "1.4(b)", "1.4(d)" })]
    [InlineData("Classified By: Glyn T. Davies \n \nSUMMARY", new string[0])]
    public void Classification_reasons_are_read(string input, string[] reasons)
    {
        var result = ClassifiedBy.Parse(input);

        Assert.Equal(reasons, result.Reasons);
        Assert.NotEmpty(result.Classifiers);
    }

    [Fact]
    public void Classifier_names_keep_their_spelling_unless_normalised()
    {
        const string input = "1.  (U) CLASSIFIED BY THOMAS W. SIMONS, JR., AMBASSADOR.\nREASON:  1.5 (B), (C) AND (D).\n";

        Assert.Equal("THOMAS W. SIMONS, JR.", Assert.Single(ClassifiedBy.Parse(input).Classifiers).Name);
        Assert.Equal("Thomas W. Simons, Jr.", Assert.Single(ClassifiedBy.Parse(input, normalize: true).Classifiers).Name);
    }

    [Fact]
    public void Tags_come_with_kinds_and_as_written()
    {
        var result = Tags.Parse("TAGS: PREL, KIPR, OVIP (CLINTON, HILLARY), NATO, RU, ECONEFIN\nSUBJECT: X");

        Assert.Equal(["PREL", "KIPR", "OVIP", "CLINTON, HILLARY", "NATO", "RS", "ECON", "EFIN"], result.Tags.Select(t => t.Value));
        Assert.Equal(
            [TagKind.Subject, TagKind.Program, TagKind.Subject, TagKind.Person, TagKind.Organisation, TagKind.Geographic, TagKind.Subject, TagKind.Subject],
            result.Tags.Select(t => t.Kind));
        Assert.Equal(["PREL", "KIPR", "OVIP", "(CLINTON", "HILLARY)", "NATO", "RU", "ECONEFIN"], result.Raw);
    }

    /// <summary>A rendering that lost the line breaks glues TAGS to the E.O. line's date; a word ending in TAGS is still no keyword.</summary>
    [Theory]
    [InlineData("E.O. 12958: DECL: 08/16/2015TAGS: EMIN ETRD SNAR PTER ECON EINV PGOV PE\n\nClassified By: X", "EMIN ETRD SNAR PTER ECON EINV PGOV PE")]
    [InlineData("LIMA 003571SIPDISE.O. 12958: DECL: 08/16/2015TAGS: EMIN, ETRD\nSUBJECT: X", "EMIN ETRD")]
    [InlineData("E.O. 12958: DECL: 1.6XTAGS: PREL\nTAGS: PGOV", "PGOV")]
    [InlineData("REF 2015TAGS PREL\nTAGS: PGOV", "PGOV")]
    public void Tags_glued_to_the_declassification_date_are_read(string input, string tags) =>
        Assert.Equal(tags, string.Join(' ', Tags.Parse(input).Tags.Select(t => t.Value)));

    /// <summary>A page marker that a rendering ran into the subject's line is not part of the subject, nor is what follows it.</summary>
    [Theory]
    [InlineData("SUBJECT: AU SUMMIT: A/S CARSON'S MEETING WITH SOMALI PRESIDENT SHEIKH SHARIF TRIPOLI 00000561 001.2 OF 002 CLASSIFIED BY: Gene A. Cretz, Ambassador. REASON: 1.4 (b), (d)",
        "AU SUMMIT: A/S CARSON'S MEETING WITH SOMALI PRESIDENT SHEIKH SHARIF")]
    [InlineData("SUBJECT: SECURITY PROCEDURES AT TRIPOLI INTERNATIONAL AIRPORT TRIPOLI 00000248 001.2 OF 003", "SECURITY PROCEDURES AT TRIPOLI INTERNATIONAL AIRPORT")]
    [InlineData("SUBJECT: VISIT TO THE DELTA HO CHI MINH CITY 00000123 001.2 OF 002", "VISIT TO THE DELTA")]
    [InlineData("SUBJECT: GRAIN PRICES IN SOUTHERN HUBEI 00000123 002 OF 004", "GRAIN PRICES IN SOUTHERN")]
    [InlineData("SUBJECT: TWO OF THREE PLANTS CLOSE\nIN MINSK 1234 OF 2005", "TWO OF THREE PLANTS CLOSE IN MINSK 1234 OF 2005")]
    [InlineData("SUBJECT: A SECTION 00000012 OF 3 VOTES", "A SECTION 00000012 OF 3 VOTES")]
    public void Page_marker_inside_the_subject_ends_it(string input, string subject) => Assert.Equal(subject, Subjects.Parse(input));

    [Fact]
    public void Typed_references_keep_labels_and_text()
    {
        var refs = References.Parse("REF: A. STATE 1234 AND 1240\n     B. SMITH-JONES E-MAIL 05/11/07\n     C. 06 PARIS 0042\n\n1. (C) Text", 2007, null);

        Assert.Equal(
            [("07STATE1234", "A", ReferenceKind.Cable), ("07STATE1240", "A", ReferenceKind.Cable), (null, "B", ReferenceKind.Email), ("06PARIS42", "C", ReferenceKind.Cable)],
            refs.Select(r => (r.Id, r.Label, r.Kind)));
        Assert.Equal("SMITH-JONES E-MAIL 05/11/07", refs[2].Text);
        Assert.Equal(["07STATE1234", "07STATE1240", "06PARIS42"], References.CableIds(refs));
    }

    [Fact]
    public void A_cable_does_not_reference_itself_and_prose_below_the_first_paragraph_is_not_a_ref_list()
    {
        const string text = "REF: TRIPOLI 227  TRIPOLI 00000564  001.2 OF 002\n\n1. (C) As reported in REF, see also STATE 1234.";

        Assert.Equal(["08TRIPOLI227"], References.CableIds(References.Parse(text, 2008, "08TRIPOLI564")));
        Assert.Empty(References.Parse("1. (C) Text.\n2. (C) REFTEL: STATE 1234.", 2008, null));
    }

    [Fact]
    public void Recipients_carry_route_precedence_number_and_exclusions()
    {
        const string header = "FM AMEMBASSY ROME\nTO RUEHC/SECSTATE WASHDC PRIORITY 7971\nRUEHZL/EUROPEAN POLITICAL COLLECTIVE\nXMT AMEMBASSY SOFIA\nINFO RUEHBS/AMEMBASSY BRUSSELS IMMEDIATE 0042";

        var to = Recipients.ParseTo(header);
        var info = Recipients.ParseInfo(header);

        Assert.Equal(2, to.Count);
        Assert.Equal(new Recipient { RoutingIndicator = "RUEHC", Name = "SECSTATE WASHDC", Precedence = "PRIORITY", MessageContinuityNumber = "7971" }, to[0] with { Exclusions = [] });
        Assert.Equal(["AMEMBASSY SOFIA"], to[1].Exclusions);
        var brussels = Assert.Single(info);
        Assert.Equal(("RUEHBS", "AMEMBASSY BRUSSELS", "IMMEDIATE", "0042"), (brussels.RoutingIndicator, brussels.Name, brussels.Precedence, brussels.MessageContinuityNumber));
    }

    [Theory]
    [InlineData("E.O. 12958: DECL: 09/05/2018", 2018, 9, 5)]
    [InlineData("EO 12958 DECL: 2020/02/23", 2020, 2, 23)]
    [InlineData("E.O. 12958: DECL: 6/3/08", 2008, 6, 3)]
    public void Declassification_dates_are_read(string input, int year, int month, int day) =>
        Assert.Equal(new DateOnly(year, month, day), Declassification.Parse(input));

    [Theory]
    [InlineData("E.O. 12958: N/A")]
    [InlineData("E.O. 12958: DECL: OADR")]
    [InlineData("E.O. 12958: DECL: 02/30/2010")]
    public void Declassification_without_a_real_date_is_null(string input) => Assert.Null(Declassification.Parse(input));

    [Fact]
    public void Subject_keeps_or_drops_its_marking()
    {
        const string input = "TAGS: PREL\nSUBJECT: (C/NF) GERMANY TAKING ACTION ON \nSHIPMENT\n\nREF: STATE 1";

        Assert.Equal("GERMANY TAKING ACTION ON SHIPMENT", Subjects.Parse(input));
        Assert.Equal("(C/NF) GERMANY TAKING ACTION ON SHIPMENT", Subjects.Parse(input, removeMarking: false));
        Assert.Null(Subjects.Parse("TAGS: PREL\n\n1. (C) No subject line here."));
    }

    [Fact]
    public void Reference_ids_are_canonical()
    {
        Assert.Equal("06TBILISI619", ReferenceIds.Canonicalize("06TBILISI619"));
        Assert.Equal("08STATE1234", ReferenceIds.Canonicalize(" 08secstate1234 "));
        Assert.Equal("09SANJOSE525", ReferenceIds.Canonicalize("09SECTION01OF03SANJOSE525"));
        Assert.Equal("", ReferenceIds.Canonicalize("   "));
        Assert.Equal("NOT AN ID", ReferenceIds.Canonicalize("not an id"));
    }

    [Fact]
    public void A_summary_named_in_the_subject_is_not_the_summary()
    {
        const string text = "SUBJECT: WEEKLY SUMMARY OF EVENTS\n\nREF: STATE 1\n\n1. (U) Summary: Quiet week. End Summary.\n";

        Assert.Equal("Quiet week.", Summaries.Parse(text, null));
    }

    [Fact]
    public void Signer_and_summary_are_read_from_a_whole_body()
    {
        const string body = "1. (C) Summary: The minister agreed. End Summary.\n\n2. (C) More text.\n\nSMITH\n\nCONFIDENTIAL\n";

        Assert.Equal(["SMITH"], Signers.Parse(body));
        Assert.Equal("The minister agreed.", Summaries.Parse(body, null));
        Assert.Equal("The minister agreed. \n\nMore text.\n\nSMITH\n\nCONFIDENTIAL\n", ContentCleaner.Clean(body));
    }
}
