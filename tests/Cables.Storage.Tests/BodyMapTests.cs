using System.Text;
using Cables.Parsing;
using Cables.Testing;

namespace Cables.Storage.Tests;

/// <summary><see cref="BodyMap"/>: a body written as lines of its raw text must come back exactly, or not be mapped at all.</summary>
public sealed class BodyMapTests
{
    public static TheoryData<string> Renderings() =>
    [
        .. Directory.GetFiles(SharedFolder.Path("corpus", "formats", "html")).Order(StringComparer.Ordinal).Take(5),
        .. Directory.GetFiles(SharedFolder.Path("corpus", "seed")),
    ];

    [Fact]
    public void Every_corpus_body_comes_back_from_its_map_in_text_and_in_utf8_and_most_are_mapped_in_a_few_bytes()
    {
        var files = Directory.GetFiles(SharedFolder.Path("corpus", "cables"), "*.txt");
        long bodyChars = 0, mapBytes = 0;
        var mapped = 0;
        foreach (var file in files)
        {
            var raw = File.ReadAllText(file);
            var body = CableParser.Parse(raw).Body;
            var map = BodyMap.Encode(raw, body);
            if (map is null)
            {
                continue;
            }

            mapped++;
            bodyChars += body.Length;
            mapBytes += map.Length;
            Assert.Equal(body, BodyMap.Decode(raw, map));
            Assert.Equal(body, DecodeUtf8(raw, map));
        }

        // Measured when written: 4,541 of 4,583 cables, 354 KB of maps for 29 MB of bodies.
        Assert.InRange(mapped, files.Length * 95 / 100, files.Length);
        Assert.InRange(mapBytes, 1, bodyChars / 50);
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public void A_rendering_the_parser_rewrote_comes_back_from_its_map_or_is_not_mapped(string file)
    {
        var raw = File.ReadAllText(file);
        var body = CableParser.Parse(raw).Body;
        var map = BodyMap.Encode(raw, body);
        if (map is not null)
        {
            Assert.Equal(body, BodyMap.Decode(raw, map));
            Assert.Equal(body, DecodeUtf8(raw, map));
        }
    }

    [Fact]
    public void Trailing_blanks_crlf_skipped_lines_rewritten_lines_and_non_ascii_text_come_back()
    {
        const string Raw = "VZCZC\r\nHEADER \t\r\n\r\n\r\nUNCLAS  \r\n\r\n\r\n1. (U) Zürich, “quoted” — 🎉 done.\r\nPAGE 002 OF 003\r\nTAGS: [PREL](#)\r\nEND\f";
        const string Body = "UNCLAS\n\n1. (U) Zürich, “quoted” — 🎉 done.\nTAGS: PREL\nEND";
        var map = BodyMap.Encode(Raw, Body);

        Assert.NotNull(map);
        Assert.Equal(Body, BodyMap.Decode(Raw, map));
        Assert.Equal(Body, DecodeUtf8(Raw, map));
    }

    [Theory]
    [InlineData("RAW TEXT", "")]                                        // nothing to map
    [InlineData("RAW TEXT\nOTHER", "A body written\nnowhere in the raw")] // every line would be kept as it is
    [InlineData("", "BODY")]
    public void A_body_the_raw_text_does_not_give_is_not_mapped(string raw, string body) => Assert.Null(BodyMap.Encode(raw, body));

    [Theory]
    [InlineData(new byte[] { 0x04, 0x00 })]       // two lines of a one-line raw text
    [InlineData(new byte[] { 0x02, 0x05 })]       // skips past the end
    [InlineData(new byte[] { 0x09, 0x41 })]       // a literal of 4 bytes with 1 left
    [InlineData(new byte[] { 0x82 })]             // a varint cut short
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })] // a varint too long
    public void A_damaged_map_is_refused_with_a_message_naming_it(byte[] map)
    {
        var refused = Assert.Throws<InvalidDataException>(() => BodyMap.Decode("ONE LINE", map));
        Assert.Contains("body map is damaged", refused.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => DecodeUtf8("ONE LINE", map));
    }

    [Fact]
    public void Random_bodies_cut_from_random_raw_texts_come_back()
    {
        var random = new Random(17);
        string[] pieces = ["", " ", "\t", "A", "bb ", "¶3.", "ü", "🎉", "TAGS: [X](#)", "  lead"];
        for (var round = 0; round < 2000; round++)
        {
            var rawLines = Enumerable.Range(0, random.Next(0, 30))
                .Select(_ => string.Concat(Enumerable.Range(0, random.Next(0, 4)).Select(_ => pieces[random.Next(pieces.Length)])))
                .ToArray();
            var raw = string.Join(random.Next(2) == 0 ? "\n" : "\r\n", rawLines);
            var bodyLines = rawLines
                .Where(_ => random.Next(4) != 0)
                .Select(l => random.Next(6) == 0 ? l + " glued" : l.TrimEnd(' ', '\t', '\r'))
                .ToArray();
            var body = string.Join('\n', bodyLines);
            if (BodyMap.Encode(raw, body) is { } map)
            {
                Assert.Equal(body, BodyMap.Decode(raw, map));
                Assert.Equal(body, DecodeUtf8(raw, map));
            }
        }
    }

    private static string DecodeUtf8(string raw, byte[] map)
    {
        var rawUtf8 = Encoding.UTF8.GetBytes(raw);
        var destination = new byte[BodyMap.MaxUtf8Length(rawUtf8.Length, map.Length)];
        return Encoding.UTF8.GetString(destination, 0, BodyMap.DecodeUtf8(rawUtf8, map, destination));
    }
}
