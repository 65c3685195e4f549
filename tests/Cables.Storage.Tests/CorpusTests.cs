using System.Diagnostics;
using Cables.Parsing;
using ApiCable = Cables.Api.V1.Cable;
using Google.Protobuf;
using Xunit.Abstractions;

namespace Cables.Storage.Tests;

/// <summary>
/// The real corpus through the parser into the store and back: every cable a read sends, in either view, must be the
/// message built from its parsed record, with the paragraphs read from the stored body those of the parse.
/// </summary>
public sealed class CorpusTests(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Every_corpus_cable_round_trips_and_a_second_load_is_unchanged()
    {
        var files = Directory.GetFiles(SharedFolder.Path("corpus", "cables"), "*.txt").Order(StringComparer.Ordinal).ToArray();
        // The file name is the archive's reference id: handed over as source metadata, as the HTML and CSV sources do.
        var items = files
            .Select(f => (Text: File.ReadAllText(f), Metadata: new SourceMetadata { ReferenceId = Path.GetFileNameWithoutExtension(f) }))
            .Select(f => new CableToStore(CableParser.Parse(f.Text, f.Metadata), f.Text, SourceFormat.Telegram))
            .ToArray();
        Assert.All(items, i => Assert.False(string.IsNullOrEmpty(i.Cable.ReferenceId)));
        var store = database.CreateStore();

        var clock = Stopwatch.StartNew();
        var first = await IngestAsync(store, items);
        var load = clock.Elapsed;
        clock.Restart();
        var second = await IngestAsync(store, items);
        var reload = clock.Elapsed;

        var megabytes = items.Sum(i => (long)i.RawText.Length) / 1e6;
        output.WriteLine($"{items.Length} cables ({megabytes:F1} MB raw) stored in {load.TotalSeconds:F1} s ({items.Length / load.TotalSeconds:F0}/s); reload {reload.TotalSeconds:F1} s");

        // The corpus may hold the same reference id twice: the later text then revises the earlier one.
        var firstOccurrence = new HashSet<string>(StringComparer.Ordinal);
        var expected = items.Select(i => firstOccurrence.Add(i.Cable.ReferenceId!) ? IngestOutcome.Created : IngestOutcome.Revised).ToArray();
        Assert.Equal(expected.Count(e => e == IngestOutcome.Created), first.Count(r => r.Outcome == IngestOutcome.Created));
        Assert.All(second, r => Assert.Equal(IngestOutcome.Unchanged, r.Outcome));

        var latest = items.GroupBy(i => i.Cable.ReferenceId!).ToDictionary(g => g.Key, g => g.Last());
        foreach (var full in new[] { false, true })
        {
            clock.Restart();
            var read = 0;
            await foreach (var chunk in store.StreamChunksAsync(new CableQuery { Full = full }, CancellationToken.None))
            {
                foreach (var encoded in chunk)
                {
                    var stored = ApiCable.Parser.ParseFrom(encoded.Message);
                    // The message first, for a readable difference; then the bytes, which must be those protobuf writes.
                    Assert.Equal(TestCables.Expected(latest[encoded.ReferenceId], full), TestCables.WithoutStoreFields(stored));
                    Assert.Equal(stored.ToByteArray(), encoded.Message);
                    Assert.Equal(64, stored.ContentSha256.Length);
                    read++;
                }
            }

            output.WriteLine($"streamed {read} {(full ? "FULL" : "BASIC")} cables back in {clock.Elapsed.TotalSeconds:F1} s");
            Assert.Equal(latest.Count, read);
        }
    }

    private static async Task<List<StoreResult>> IngestAsync(CableStore store, CableToStore[] items)
    {
        var results = new List<StoreResult>(items.Length);
        foreach (var batch in items.Chunk(500))
        {
            results.AddRange(await store.IngestAsync(batch, CancellationToken.None));
        }

        return results;
    }
}
