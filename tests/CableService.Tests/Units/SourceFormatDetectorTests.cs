using Cables.Parsing.Model;

namespace CableService.Tests.Units;

public sealed class SourceFormatDetectorTests
{
    [Fact]
    public void Detects_each_corpus_format()
    {
        var html = Directory.EnumerateFiles(SharedFolder.Path("corpus", "formats", "html"), "*.html").First();
        Assert.Equal(SourceFormat.WikiLeaksHtml, SourceFormatDetector.Detect(File.ReadAllText(html)));

        using var csv = new StreamReader(SharedFolder.Path("corpus", "formats", "cables.csv"));
        Assert.Equal(SourceFormat.CablesCsv, SourceFormatDetector.Detect(csv.ReadLine()!));

        Assert.Equal(SourceFormat.Telegram, SourceFormatDetector.Detect(File.ReadAllText(SharedFolder.Path("corpus", "seed", "08BRUSSELS1390.txt"))));
        var telegram = Directory.EnumerateFiles(SharedFolder.Path("corpus", "cables"), "*.txt").First();
        Assert.Equal(SourceFormat.Telegram, SourceFormatDetector.Detect(File.ReadAllText(telegram)));
    }

    [Theory]
    [InlineData("\"quoted\" text that opens a telegram")]
    [InlineData("\"12 is not a row")]
    [InlineData("VZCZCXRO6530")]
    public void Leaves_other_text_as_telegram(string text) => Assert.Equal(SourceFormat.Telegram, SourceFormatDetector.Detect(text));
}
