using System.Diagnostics;

namespace Cables.Parsing.Tests;

/// <summary>
/// The parser never throws and never hangs: random bytes, every truncation, shuffled and mutated lines of real cables.
/// <see cref="CableParser.ParseCore"/> is called directly so an exception fails the test instead of becoming a warning.
/// The time bound is a hang detector only (catastrophic backtracking would blow it); speed is the benchmark's job.
/// </summary>
public sealed class PropertyTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_hangBound = TimeSpan.FromMilliseconds(200);

    // Inputs of 200-600 KB (50-100 times a cable) on a shared, loaded machine: still a hang detector, scaled.
    private static readonly TimeSpan s_pathologicalBound = TimeSpan.FromSeconds(2);

    private static readonly string[] s_samples =
    [
        SharedFolder.Path("corpus", "seed", "08BRUSSELS1390.txt"),
        SharedFolder.Path("corpus", "cables", "00ATHENS1917.txt"),
        SharedFolder.Path("corpus", "cables", "09CARACAS1443.txt"),
        SharedFolder.Path("corpus", "cables", "05BOGOTA9257.txt"),
        SharedFolder.Path("corpus", "cables", "01HOCHIMINHCITY1183.txt"),
        SharedFolder.Path("corpus", "cables", "06BERN1553.txt"),
    ];

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(20260901);
        var worst = TimeSpan.Zero;
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 4096)];
            random.NextBytes(bytes);
            worst = Max(worst, Time(Encoding.UTF8.GetString(bytes)));
            worst = Max(worst, Time(Encoding.Latin1.GetString(bytes)));
        }

        Report("random bytes", worst);
    }

    [Fact]
    public void Random_telegram_shaped_text_never_throws()
    {
        // Fragments the parser keys on, glued at random: the paths random bytes almost never reach.
        string[] pieces =
        [
            "VZCZC", "DE RUEH", " #", "/01 ", "ZNY CCCCC", "P ", "051818Z", " SEP 08", "FM AMEMBASSY ", "TO ", "INFO ", "XMT ",
            "C O N F I D E N T I A L", "S E C R E T", "UNCLAS", " SECTION 01 OF 03 ", "BRUSSELS ", "001390", "NOFORN", "SENSITIVE",
            "E.O. 12958: DECL: ", "TAGS: ", "[PREL](#)", "SUBJECT: ", "¶", "1", "13. ", "110. ", "(C) ", "(S/NF)", "\n", "\n\n",
            "BRUSSELS 00001390 002 OF 003", "\t", "\",\"", "Cable dated:", "2008-09-05T18:18:00", "----------------- header ends ----------------",
            "\nid: ", "\\", " ", "(", ")", ":", "//", "SS E C R E T", "This record is a partial extract of the original cable. The full text of the original cable is not available.",
        ];
        var random = new Random(42);
        var worst = TimeSpan.Zero;
        var text = new StringBuilder();
        for (var i = 0; i < 5000; i++)
        {
            text.Clear();
            for (var n = random.Next(0, 80); n > 0; n--)
            {
                text.Append(pieces[random.Next(pieces.Length)]);
            }

            worst = Max(worst, Time(text.ToString()));
        }

        Report("telegram-shaped text", worst);
    }

    [Fact]
    public void Every_truncation_of_real_cables_never_throws()
    {
        var worst = TimeSpan.Zero;
        foreach (var path in s_samples)
        {
            var text = File.ReadAllText(path);
            var step = Math.Max(1, text.Length / 1500);
            for (var length = 0; length <= text.Length; length += step)
            {
                worst = Max(worst, Time(text[..length]));
                worst = Max(worst, Time(text[(text.Length - length)..]));
            }
        }

        Report("truncations", worst);
    }

    [Fact]
    public void Shuffled_and_mutated_lines_never_throw()
    {
        var random = new Random(7);
        var worst = TimeSpan.Zero;
        foreach (var path in s_samples)
        {
            var lines = File.ReadAllLines(path);
            for (var round = 0; round < 300; round++)
            {
                var shuffled = lines.ToArray();
                random.Shuffle(shuffled);
                worst = Max(worst, Time(string.Join('\n', shuffled)));

                var mutated = lines.ToList();
                for (var m = random.Next(1, 20); m > 0 && mutated.Count > 0; m--)
                {
                    var at = random.Next(mutated.Count);
                    switch (random.Next(5))
                    {
                        case 0: mutated.RemoveAt(at); break;
                        case 1: mutated.Insert(at, mutated[random.Next(mutated.Count)]); break;
                        case 2: mutated[at] = mutated[at].Length > 0 ? mutated[at][..random.Next(mutated[at].Length)] : "¶"; break;
                        case 3: mutated[at] = new string(mutated[at].Reverse().ToArray()); break;
                        default: mutated[at] += mutated[random.Next(mutated.Count)]; break;
                    }
                }

                worst = Max(worst, Time(string.Join('\n', mutated)));
            }
        }

        Report("shuffles and mutations", worst);
    }

    [Fact]
    public void Pathological_inputs_stay_fast()
    {
        string[] inputs =
        [
            new string('1', 200_000),
            string.Concat(Enumerable.Repeat("1", 100_000).Select(_ => "1. ")),
            string.Concat(Enumerable.Repeat("\n", 200_000)),
            string.Concat(Enumerable.Repeat("C O N F I D E N T I A L ", 20_000)),
            string.Concat(Enumerable.Repeat("TAGS: [PREL](#", 20_000)),
            string.Concat(Enumerable.Repeat("BRUSSELS 00001390 002 OF 003\n\n", 5_000)),
            string.Concat(Enumerable.Repeat("\t\",\"S E C", 20_000)),
            string.Concat(Enumerable.Repeat("a\n\nb ", 50_000)),
        ];

        var worst = TimeSpan.Zero;
        foreach (var input in inputs)
        {
            worst = Max(worst, Time(input, s_pathologicalBound));
        }

        Report("pathological inputs (up to 480 K chars)", worst);
    }

    static PropertyTests()
    {
        // JIT the parser once, so the first timed parse measures parsing.
        foreach (var path in s_samples)
        {
            CableParser.ParseCore(File.ReadAllText(path), null);
        }
    }

    private static TimeSpan Time(string text) => Time(text, s_hangBound);

    private static TimeSpan Time(string text, TimeSpan bound)
    {
        // A slow parse is timed again: on this shared machine a descheduled thread or a GC is not a hang,
        // while catastrophic backtracking is slow every time.
        var best = TimeSpan.MaxValue;
        for (var attempt = 0; attempt < 3 && best >= bound; attempt++)
        {
            var clock = Stopwatch.StartNew();
            var cable = CableParser.ParseCore(text, null);
            var paragraphs = cable.Paragraphs; // read from the body on first use: part of the cost
            clock.Stop();
            Assert.NotNull(cable.Body);
            var visited = new List<Paragraph>();
            CableParser.VisitParagraphs(cable.Body.AsMemory(), (number, marking, paragraph) => visited.Add(new Paragraph(number, marking, paragraph.ToString())));
            Assert.Equal(paragraphs, visited);
            best = clock.Elapsed < best ? clock.Elapsed : best;
        }

        Assert.True(best < bound, $"parse took {best.TotalMilliseconds:F1} ms (best of 3) for {text.Length} chars");
        return best;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private void Report(string what, TimeSpan worst)
    {
        var line = $"{what}: slowest parse {worst.TotalMilliseconds:F2} ms";
        output.WriteLine(line);
        Console.WriteLine(line);
    }
}
