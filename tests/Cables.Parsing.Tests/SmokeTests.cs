namespace Cables.Parsing.Tests;

public class SmokeTests
{
    [Fact]
    public void Parse_keeps_metadata_reference_id_when_text_has_none()
    {
        var cable = CableParser.Parse("", new Model.SourceMetadata { ReferenceId = "08BRUSSELS1390" });
        Assert.Equal("08BRUSSELS1390", cable.ReferenceId);
    }
}
