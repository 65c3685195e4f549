using Cables.Api.V1;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;

namespace CableService.Tests.Units;

public sealed class CableIntakeTests
{
    private readonly CableIntake _intake = new(Options.Create(new IngestOptions { MaxCableBytes = 1000 }), TimeProvider.System);

    private static readonly SourceMetadata s_identified = new()
    {
        ReferenceId = "08BRUSSELS1390",
        Created = Timestamp.FromDateTime(new DateTime(2008, 9, 5, 18, 18, 0, DateTimeKind.Utc)),
    };

    [Theory]
    [InlineData("", "EMPTY_TEXT")]
    [InlineData(" \n\t ", "EMPTY_TEXT")]
    [InlineData("text with a \0 inside", "INVALID_TEXT")]
    public void Rejects_unusable_text(string text, string reason) =>
        Assert.Equal(reason, _intake.Prepare(new IngestCableRequest { RawText = text, Metadata = s_identified }).Reason);

    [Fact]
    public void Rejects_a_cable_over_the_byte_limit_counting_utf8_bytes()
    {
        Assert.Null(_intake.Prepare(new IngestCableRequest { RawText = new string('x', 1000), Metadata = s_identified }).Reason);
        Assert.Equal("CABLE_TOO_LARGE", _intake.Prepare(new IngestCableRequest { RawText = new string('x', 1001), Metadata = s_identified }).Reason);
        // 400 pilcrows are 800 bytes; 501 are 1002.
        Assert.Null(_intake.Prepare(new IngestCableRequest { RawText = new string('¶', 400), Metadata = s_identified }).Reason);
        var tooLarge = _intake.Prepare(new IngestCableRequest { RawText = new string('¶', 501), Metadata = s_identified });
        Assert.Equal("CABLE_TOO_LARGE", tooLarge.Reason);
        Assert.Contains("1002 bytes", tooLarge.Details, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_cable_without_reference_id_or_date()
    {
        Assert.Equal("NO_REFERENCE_ID", _intake.Prepare(new IngestCableRequest { RawText = "no header, no id" }).Reason);
        var noDate = new SourceMetadata { ReferenceId = "08BRUSSELS1390" };
        Assert.Equal("NO_DATE", _intake.Prepare(new IngestCableRequest { RawText = "no date-time group", Metadata = noDate }).Reason);
    }

    [Fact]
    public void Rejects_an_overlong_reference_id_from_metadata()
    {
        var metadata = new SourceMetadata(s_identified) { ReferenceId = "08" + new string('X', 70) + "1" };
        Assert.Equal("INVALID_METADATA", _intake.Prepare(new IngestCableRequest { RawText = "body", Metadata = metadata }).Reason);
    }

    [Fact]
    public void Rejects_a_declared_csv_row_that_is_not_one() =>
        Assert.Equal("UNREADABLE_FORMAT", _intake.Prepare(new IngestCableRequest { RawText = "not a row", Format = SourceFormat.CablesCsv }).Reason);

    [Fact]
    public void Accepts_a_cable_the_metadata_identifies_and_keeps_the_raw_text()
    {
        var result = _intake.Prepare(new IngestCableRequest { RawText = "body", Metadata = s_identified });
        Assert.Null(result.Reason);
        Assert.Equal("08BRUSSELS1390", result.Cable!.Cable.ReferenceId);
        Assert.Equal("body", result.Cable.RawText);
        Assert.Equal(Cables.Parsing.Model.SourceFormat.Telegram, result.Cable.Format);
    }
}
