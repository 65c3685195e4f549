namespace Cables.Parsing.Tests.Fields;

/// <summary>Every extractor must answer, never throw: on real cables, on cut-off cables and on garbage.</summary>
public class RobustnessTests
{
    [Fact]
    public void Extractors_never_throw_on_the_corpus_and_its_truncations()
    {
        foreach (var (_, text) in CorpusText.Cables)
        {
            RunAll(text);
            RunAll(text[..(text.Length / 3)]);
            RunAll(text[(text.Length / 2)..]);
        }
    }

    [Fact]
    public void Extractors_never_throw_on_random_input()
    {
        // Alphabet weighted towards the characters the scanners branch on.
        const string alphabet = "REFSUBJECTAGSDLClassifiedby:;,.()[]-/\\'\"#&¶\n\n  0123456789OXxZ<>";
        var random = new Random(20261127);
        for (var n = 0; n < 3000; n++)
        {
            var chars = new char[random.Next(0, 400)];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = alphabet[random.Next(alphabet.Length)];
            }

            RunAll(new string(chars));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\n\n\n")]
    [InlineData("REF")]
    [InlineData("REF:")]
    [InlineData("REF: A.")]
    [InlineData("REF: 06")]
    [InlineData("REF: STATE")]
    [InlineData("REF: 99999999999999999999 STATE 123456789012")]
    [InlineData("TAGS")]
    [InlineData("TAGS:,,,,")]
    [InlineData("TAGS: (((((")]
    [InlineData("SUBJECT:")]
    [InlineData("Classified By:")]
    [InlineData("Classified By: ,,,: and and and")]
    [InlineData("DECL: 99/99/9999")]
    [InlineData("DECL: 02/30/2010")]
    [InlineData("SUMMARY")]
    [InlineData("END SUMMARY")]
    [InlineData("TO ")]
    [InlineData("INFO XMT")]
    [InlineData("1. (")]
    [InlineData("'")]
    public void Extractors_answer_on_degenerate_input(string input) => RunAll(input);

    private static void RunAll(string text)
    {
        _ = ReferenceIds.Canonicalize(text.Length > 40 ? text[..40] : text);
        _ = Tags.Parse(text);
        _ = Subjects.Parse(text);
        _ = Subjects.Parse(text, removeMarking: false);
        _ = References.Parse(text, 2008, "08STATE1");
        _ = ClassifiedBy.Parse(text);
        _ = ClassifiedBy.Parse(text, normalize: true);
        _ = Recipients.ParseTo(text);
        _ = Recipients.ParseInfo(text);
        _ = Signers.Parse(text);
        _ = Summaries.Parse(text, null);
        _ = Declassification.Parse(text);
        _ = ContentCleaner.Clean(text);
        _ = Titles.Titlefy(text.Length > 200 ? text[..200] : text);
        _ = WikiLeaksHtml.Read(text);
        _ = CablesCsv.Read(new StringReader(text)).ToList();
    }
}
