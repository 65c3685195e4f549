using CableService.Security;
using Google.Protobuf;

namespace CableService.Tests.Security;

public sealed class CallAuditLevelTests
{
    public static TheoryData<Api.ClassificationLevel> Levels => [.. Enum.GetValues<Api.ClassificationLevel>()];

    [Theory]
    [MemberData(nameof(Levels))]
    public void The_level_read_in_place_is_the_level_the_parser_reads(Api.ClassificationLevel level)
    {
        var cable = new Api.Cable
        {
            ReferenceId = "09SANAA0001",
            Subject = "A subject",
            Classification = new Api.Classification { Level = level, Caveats = { "NOFORN", "SIPDIS" }, Label = "SECRET//NOFORN" },
            Tags = { "PTER", "YM" },
            RawText = new string('x', 5000),
            RevisionCount = 3,
        };
        var encoded = cable.ToByteString();

        Assert.Equal(Api.Cable.Parser.ParseFrom(encoded).Classification.Level, CallAudit.LevelOf(encoded));
    }

    [Fact]
    public void Fields_of_every_wire_type_around_the_classification_are_stepped_over()
    {
        var output = new MemoryStream();
        var writer = new CodedOutputStream(output);
        writer.WriteTag(90, WireFormat.WireType.Fixed64);
        writer.WriteFixed64(ulong.MaxValue);
        writer.WriteTag(91, WireFormat.WireType.Fixed32);
        writer.WriteFixed32(7);
        writer.WriteTag(92, WireFormat.WireType.Varint);
        writer.WriteUInt64(ulong.MaxValue);
        writer.WriteTag(Api.Cable.ClassificationFieldNumber, WireFormat.WireType.LengthDelimited);
        writer.WriteBytes(new Api.Classification { Level = Api.ClassificationLevel.Secret, Caveats = { "NOFORN" } }.ToByteString());
        writer.WriteTag(93, WireFormat.WireType.LengthDelimited);
        writer.WriteString("after");
        writer.Flush();
        var encoded = ByteString.CopyFrom(output.ToArray());

        Assert.Equal(Api.ClassificationLevel.Secret, Api.Cable.Parser.ParseFrom(encoded).Classification.Level);
        Assert.Equal(Api.ClassificationLevel.Secret, CallAudit.LevelOf(encoded));
    }

    [Fact]
    public void A_cable_without_a_classification_or_cut_short_counts_as_unspecified()
    {
        var encoded = new Api.Cable { ReferenceId = "09SANAA0001", Classification = new() { Level = Api.ClassificationLevel.Secret } }.ToByteArray();

        Assert.Equal(Api.ClassificationLevel.Unspecified, CallAudit.LevelOf(new Api.Cable { ReferenceId = "09SANAA0001" }.ToByteString()));
        Assert.Equal(Api.ClassificationLevel.Unspecified, CallAudit.LevelOf(ByteString.Empty));
        for (var length = 0; length < encoded.Length; length++)
        {
            Assert.Equal(Api.ClassificationLevel.Unspecified, CallAudit.LevelOf(ByteString.CopyFrom(encoded, 0, length)));
        }

        Assert.Equal(Api.ClassificationLevel.Secret, CallAudit.LevelOf(ByteString.CopyFrom(encoded)));
    }
}
