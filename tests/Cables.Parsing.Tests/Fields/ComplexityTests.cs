using System.Diagnostics;

namespace Cables.Parsing.Tests.Fields;

/// <summary>
/// Parse cost must be linear in the input: a scan that restarts inside a loop makes a long run of one pattern (tabs after
/// a header line, a REF list, letter-spaced words) cost its square. Each reader gets inputs of 10k, 100k and 1M characters
/// built from the patterns that stress it; per 10× of size its time may grow at most 15×.
/// </summary>
/// <remarks>
/// Robust on a loaded shared machine: every timing parses about 1M characters (100 calls of 10k, 10 of 100k, one of 1M,
/// each on its own copy), the collector's pauses are left out, both sizes of a step are timed back to back and the
/// smallest ratio of several rounds counts, and a reader over the limit is measured again before it fails. A quadratic
/// reader is far over the limit in every round (100k tabs after a header took 100× the time of 10k); one that takes over
/// a second per call is not measured again.
/// </remarks>
[Collection(nameof(ThroughputTests))]
public sealed class ComplexityTests(ITestOutputHelper output)
{
    private const double MaxRatioPerTenfold = 15;
    private const int TotalChars = 1_000_000;
    private const int Rounds = 5;
    private const int Attempts = 3;

    /// <summary>A name, what opens the input, and the unit repeated to its size.</summary>
    private static readonly Dictionary<string, (string Head, string Unit)> s_patterns = new()
    {
        ["tabs"] = ("VZCZCXRO1444\nDE RUEHEG #1416/01 1891355\nP 071355Z JUL 08\nFM AMEMBASSY CAIRO", "\t"),
        ["tabs before a banner"] = ("P 071355Z JUL 08\nFM AMEMBASSY CAIRO\nTO RUEHC/SECSTATE WASHDC", "\t\t\tC O N F I D E N T I A L CAIRO 001416 "),
        ["spaces"] = ("P 071355Z JUL 08\nSUBJECT: X", " "),
        ["open parens"] = ("REF: A. STATE 1 ", "("),
        ["close parens"] = ("SUBJECT: (C) X ", ")"),
        ["digits"] = ("REF: ", "1"),
        ["letter-spaced words"] = ("", "C O N F I D E N T I A L "),
        ["letter-spaced lines"] = ("", "C O N F I D E N T I A L SECTION 01 OF 02 CAIRO\n"),
        ["mixed-case letters"] = ("", "S e c r e t "),
        ["REF list"] = ("REF: ", "A. STATE 123456 B. 08 PARIS 1234, C) 07 CAIRO 12 "),
        ["REF lines"] = ("", "REF: A. STATE 123456\n"),
        ["TAGS items"] = ("TAGS: ", "PREL, "),
        ["TAGS lines"] = ("", "TAGS: PREL PGOV\n"),
        ["TAGS brackets"] = ("TAGS: ", "[PREL](#) "),
        ["commas"] = ("TAGS: ", ","),
        ["glued TAGS"] = ("TAGS: ", "PRELUS"),
        ["END"] = ("SUMMARY: X ", "END  "),
        ["DE lines"] = ("", "DE RUEHBS #1390/01 2491818\n"),
        ["FM lines"] = ("", "FM AMEMBASSY BRUSSELS\n"),
        ["DTG lines"] = ("", "P 051818Z SEP 08 ZDK CTG #0073\n"),
        ["TO lines"] = ("TO ", "RUEHC/SECSTATE WASHDC PRIORITY 7971\n"),
        ["INFO XMT"] = ("INFO ", "RUEHC/SECSTATE WASHDC XMT AMCONSUL X\n"),
        ["SUBJECT lines"] = ("", "SUBJECT: A B C\n"),
        ["inline OF"] = ("SUBJECT: ", "A 00000001 001.2 OF 2 "),
        ["page markers"] = ("", "BRUSSELS 00001390 002 OF 003\n"),
        ["Classified By"] = ("", "Classified By: Ambassador X, Reasons 1.4 (b) and (d). "),
        ["semicolons"] = ("Classified By: ", "A; "),
        ["DECL"] = ("E.O. 12958: ", "DECL: 08/16/2015 "),
        ["blank lines"] = ("X\n", "\n"),
        ["SUMMARY"] = ("", "SUMMARY: "),
        ["paragraphs"] = ("", "1. (C) X\n"),
        ["quotes"] = ("SUBJECT: ", "\""),
        ["quotes in a dump row"] = ("UNCLAS KINSHASA 008501\t\nX ", "\""),
        ["hashes"] = ("", "#"),
        ["slashes"] = ("", "/"),
    };

    public static TheoryData<string> Readers => [.. s_readers.Keys];

    /// <summary>Each reader, and the patterns that stress its loops.</summary>
    private static readonly Dictionary<string, (Action<string> Run, string[] Patterns)> s_readers = new()
    {
        ["parse"] = (t => CableParser.ParseCore(t, null), [.. s_patterns.Keys]),
        ["tags"] = (t => Tags.Parse(t), ["TAGS items", "TAGS lines", "TAGS brackets", "glued TAGS", "commas", "open parens", "spaces", "tabs", "letter-spaced words"]),
        ["subject"] = (t => Subjects.Parse(t), ["SUBJECT lines", "inline OF", "quotes", "close parens", "spaces", "tabs"]),
        ["references"] = (t => References.Parse(t, 2008, null), ["REF list", "REF lines", "digits", "open parens", "commas", "spaces"]),
        ["classified by"] = (t => ClassifiedBy.Parse(t, normalize: true), ["Classified By", "semicolons", "open parens", "digits", "spaces"]),
        ["recipients"] = (t => { Recipients.ParseTo(t); Recipients.ParseInfo(t); }, ["TO lines", "INFO XMT", "DE lines", "FM lines", "slashes"]),
        ["signers"] = (t => Signers.Parse(t), ["spaces", "tabs", "letter-spaced lines", "paragraphs"]),
        ["summary"] = (t => Summaries.Parse(t, null), ["SUMMARY", "END", "paragraphs", "blank lines", "spaces"]),
        ["declassification"] = (t => Declassification.Parse(t), ["DECL", "digits", "slashes"]),
        ["content cleaner"] = (t => ContentCleaner.Clean(t), ["letter-spaced words", "blank lines", "page markers", "tabs", "spaces"]),
        ["titlefy"] = (t => Titles.Titlefy(t), ["mixed-case letters", "semicolons", "quotes", "hashes"]),
    };

    [Theory]
    [MemberData(nameof(Readers))]
    public void Reader_cost_grows_linearly_with_the_input(string reader)
    {
        var (run, patterns) = s_readers[reader];
        WarmUp(run, patterns);
        var report = new StringBuilder();
        var failures = new List<string>();
        foreach (var pattern in patterns)
        {
            var (head, unit) = s_patterns[pattern];
            string? failure = null;
            for (var attempt = 0; attempt < Attempts; attempt++)
            {
                failure = Measure(run, head, unit, out var line, out var slow);
                if (attempt == 0 || failure is null)
                {
                    report.AppendLine(CultureInfo.InvariantCulture, $"{pattern,-22} {line}");
                }

                if (failure is null || slow)
                {
                    break;
                }
            }

            if (failure is not null)
            {
                failures.Add($"{pattern}: {failure}");
            }
        }

        output.WriteLine(report.ToString());
        Assert.True(failures.Count == 0, $"{reader} grows faster than linearly: {string.Join("; ", failures)}\n{report}");
    }

    /// <summary>A quadratic scan is caught, whatever the machine's load: the check measures what it claims to.</summary>
    [Fact]
    public void A_quadratic_reader_is_caught()
    {
        static void Quadratic(string text)
        {
            var count = 0;
            for (var i = 0; i < text.Length; i += 16)
            {
                count += text.AsSpan(i).IndexOf('x') < 0 ? 1 : 0;
            }

            GC.KeepAlive(count);
        }

        WarmUp(Quadratic, ["tabs"]);
        Assert.NotNull(Measure(Quadratic, "", "\t", out _, out _));
    }

    /// <summary>
    /// Every size must be timed in the same code: the reader's methods are called on every pattern until tiered
    /// compilation has had time to replace their first, unoptimised code, which runs several times slower.
    /// </summary>
    private static void WarmUp(Action<string> run, string[] patterns)
    {
        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var pattern in patterns)
            {
                var (head, unit) = s_patterns[pattern];
                var text = Build(head, unit, 10_000);
                for (var call = 0; call < 40; call++)
                {
                    run(text);
                }
            }

            Thread.Sleep(250);
        }
    }

    /// <summary>
    /// The growth of the per-call time over each tenfold step, 10k to 100k and 100k to 1M characters; null when both stay
    /// within the limit, else why not. Each round times both sizes of a step back to back and the smallest ratio of the
    /// rounds counts: a disturbance (another process, a collection) inflates one time of one round, while a superlinear
    /// reader shows in every round.
    /// </summary>
    private static string? Measure(Action<string> run, string head, string unit, out string line, out bool slow)
    {
        var small = Copies(Build(head, unit, 10_000));
        var medium = Copies(Build(head, unit, 100_000));
        var (first, smallMs, mediumMs) = Step(run, small, medium);
        slow = mediumMs > SlowCallMs;
        if (first > MaxRatioPerTenfold)
        {
            line = string.Create(CultureInfo.InvariantCulture, $"10k {smallMs:F3} ms, 100k {mediumMs:F3} ms (×{first:F1}), 1M not run");
            return line;
        }

        var (second, _, largeMs) = Step(run, medium, Copies(Build(head, unit, 1_000_000)));
        slow = largeMs > SlowCallMs;
        line = string.Create(CultureInfo.InvariantCulture, $"10k {smallMs:F3} ms, 100k {mediumMs:F3} ms (×{first:F1}), 1M {largeMs:F2} ms (×{second:F1})");
        return second > MaxRatioPerTenfold ? line : null;
    }

    /// <summary>The smallest ratio over the rounds of the large input's per-call time to the small one's, and the best times.</summary>
    private static (double Ratio, double SmallMs, double LargeMs) Step(Action<string> run, string[] small, string[] large)
    {
        var ratio = double.MaxValue;
        double bestSmall = double.MaxValue, bestLarge = double.MaxValue;
        for (var round = 0; round < Rounds; round++)
        {
            var s = Time(run, small);
            var l = Time(run, large);
            ratio = Math.Min(ratio, l / s);
            bestSmall = Math.Min(bestSmall, s);
            bestLarge = Math.Min(bestLarge, l);

            // A reader that takes over a second per call is no disturbance: measuring it again only waits longer.
            if (l > SlowCallMs)
            {
                break;
            }
        }

        return (ratio, bestSmall, bestLarge);
    }

    /// <summary>
    /// As many copies of the text as make about 1M characters, each call parsing its own: small inputs are then not timed
    /// hot in the cache while large ones come from memory.
    /// </summary>
    private static string[] Copies(string text)
    {
        var copies = new string[Math.Max(1, TotalChars / text.Length)];
        for (var i = 0; i < copies.Length; i++)
        {
            copies[i] = new string(text.AsSpan());
        }

        return copies;
    }

    /// <summary>
    /// Per-call time over the copies, without the garbage collector's pauses, which cost in proportion to whatever else the
    /// test process keeps alive (the corpus, when other tests ran), not to this reader's work. Under a nanosecond per
    /// character (a reader that skips the input with a vectorised search) counts as that: at such speeds the ratio measures
    /// the memory, not the code.
    /// </summary>
    private static double Time(Action<string> run, string[] copies)
    {
        var paused = GC.GetTotalPauseDuration();
        var start = Stopwatch.GetTimestamp();
        var calls = 0;
        foreach (var copy in copies)
        {
            run(copy);
            calls++;
            if (Stopwatch.GetElapsedTime(start).TotalMilliseconds > SlowCallMs)
            {
                break;
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(start) - (GC.GetTotalPauseDuration() - paused);
        return Math.Max(elapsed.TotalMilliseconds / calls, copies[0].Length * NanosecondInMilliseconds);
    }

    private const double NanosecondInMilliseconds = 1e-6;

    private const double SlowCallMs = 1000;

    private static string Build(string head, string unit, int size)
    {
        var text = new StringBuilder(head.Length > 0 ? head + "\n" : "", size + unit.Length);
        while (text.Length < size)
        {
            text.Append(unit);
        }

        return text.ToString(0, size);
    }
}
