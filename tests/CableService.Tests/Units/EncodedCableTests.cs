using System.Buffers;
using System.Text;
using Cables.Api.V1;
using Cables.Api.V1.Mapping;
using Cables.Api.V1.Wire;
using Cables.Parsing;
using CableService.Tests.Functional;
using Google.Protobuf;
using Grpc.Core;
using Model = Cables.Parsing.Model;

namespace CableService.Tests.Units;

/// <summary>Cables put together from parts encoded apart must be the very bytes Google.Protobuf writes for the whole message.</summary>
public sealed class EncodedCableTests
{
    private static readonly DateTime s_ingested = new(2026, 11, 28, 1, 2, 3, 456, DateTimeKind.Utc);

    /// <summary>The seed and a spread of the corpus: every 250th cable by reference id.</summary>
    public static TheoryData<string> Cables() => [.. Corpus.Sample(250).Select(t => t.Path).Prepend(Corpus.SeedPath)];

    [Theory]
    [MemberData(nameof(Cables))]
    public void A_cable_from_its_parts_is_the_whole_message(string path)
    {
        var raw = File.ReadAllText(path);
        var cable = CableParser.Parse(raw, new Model.SourceMetadata { ReferenceId = Path.GetFileNameWithoutExtension(path) });

        foreach (var (full, revised, revisions) in new[] { (false, (DateTime?)null, 0), (true, null, 0), (true, s_ingested.AddDays(1), 3) })
        {
            var whole = CableMessages.ToApi(cable, full);
            whole.ContentSha256 = "ab12";
            whole.Ingested = CableMessages.ToTimestamp(s_ingested);
            whole.Revised = CableMessages.ToTimestamp(revised);
            whole.RevisionCount = revisions;
            if (full)
            {
                whole.RawText = raw;
            }

            var writer = new EncodedCableWriter();
            writer.WriteEncoded(StoredCableParts.EncodeParsedFields(cable));
            writer.WriteStoreFields("ab12", s_ingested, revised, revisions);
            if (full)
            {
                writer.WriteBody(Encoding.UTF8.GetBytes(cable.Body));
                foreach (var paragraph in CableParser.ReadParagraphs(cable.Body))
                {
                    writer.WriteParagraph(paragraph);
                }

                writer.WriteRawText(Encoding.UTF8.GetBytes(raw));
            }

            Assert.Equal(whole.ToByteArray(), writer.ToArray());
        }
    }

    [Fact]
    public void Paragraphs_written_one_by_one_are_those_protobuf_writes()
    {
        Model.Paragraph[] paragraphs =
        [
            new(1, "C", "Text with ¶ and ünïcödé.\nSecond line."),
            new(null, null, "Unnumbered, unmarked."),
            new(300, "S/NF", new string('x', 200)), // a number and a length of two varint bytes
            new(2, null, ""),
        ];
        var writer = new EncodedCableWriter();
        foreach (var paragraph in paragraphs)
        {
            writer.WriteParagraph(paragraph.Number ?? 0, Encoding.UTF8.GetBytes(paragraph.Marking ?? ""), Encoding.UTF8.GetBytes(paragraph.Text));
        }

        var encoded = writer.ToArray();
        Assert.Equal(StoredCableParts.EncodeParagraphs(paragraphs), encoded);
        Assert.Equal(paragraphs, StoredCableParts.DecodeParagraphs(encoded));

        // From the parser's paragraphs as they are, as a read of a body-only row writes them.
        foreach (var paragraph in paragraphs)
        {
            writer.WriteParagraph(paragraph);
        }

        Assert.Equal(encoded, writer.ToArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("dG9rZW4")]
    public void An_encoded_response_is_the_bytes_of_a_StreamCablesResponse(string resumeToken)
    {
        var cable = CableMessages.ToApi(CableParser.Parse(File.ReadAllText(Corpus.SeedPath), null), full: true);
        var expected = new StreamCablesResponse { Cable = cable, ResumeToken = resumeToken }.ToByteArray();

        var context = new BufferContext();
        EncodedStreamCablesResponse.Marshaller.ContextualSerializer(new EncodedStreamCablesResponse(cable.ToByteArray(), resumeToken), context);
        var written = context.Written;

        Assert.Equal(written.Length, context.PayloadLength);

        Assert.Equal(expected, written);
        Assert.Equal(cable, StreamCablesResponse.Parser.ParseFrom(written).Cable);
    }

    /// <summary>What gRPC hands a marshaller, keeping what it writes.</summary>
    private sealed class BufferContext : SerializationContext
    {
        private readonly ArrayBufferWriter<byte> _buffer = new();
        private bool _complete;

        public int PayloadLength { get; private set; } = -1;

        public byte[] Written => _complete ? _buffer.WrittenSpan.ToArray() : throw new InvalidOperationException("Complete() was not called.");

        public override void SetPayloadLength(int payloadLength) => PayloadLength = payloadLength;

        public override IBufferWriter<byte> GetBufferWriter() => _buffer;

        public override void Complete() => _complete = true;
    }
}
