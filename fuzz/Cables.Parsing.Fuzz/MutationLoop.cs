using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Cables.Parsing.Fuzz;

/// <summary>
/// A seeded mutation fuzzer, in-process, for machines without a coverage-guided engine: inputs from the seed files are
/// mutated (characters changed, the scanners' tokens inserted, a slice repeated up to thousands of times to find a
/// scan that restarts inside a loop, ranges cut, inputs spliced) and run; an input that makes the target throw, or run
/// over the slow limit twice, is kept in the output folder under its hash.
/// </summary>
public sealed class MutationLoop(string name, Action<string> target, LoopOptions options)
{
    private const int MaxInput = 256 * 1024;

    private static readonly string[] s_tokens =
    [
        "\t", " ", "\n", "\n\n", "(", ")", ",", ";", ".", "/", "#", "\"", "[", "](#)", "REF: ", "TAGS: ", "SUBJECT: ",
        "DE RUEHBS #1390/01 2491818\n", "FM AMEMBASSY BRUSSELS\n", "TO RUEHC/SECSTATE WASHDC PRIORITY 7971\n", "P 051818Z SEP 08\n",
        "C O N F I D E N T I A L ", "SECTION 01 OF 02 ", "Classified By: ", "E.O. 12958: DECL: ", "SUMMARY: ", "END SUMMARY",
        "1. (C) ", "¶", "<pre>", "</pre>", "<td>", "</td>", "<table class='cable'>", "&amp;", "&#x000A;", "\"\"", "\r\n", "\\\n",
    ];

    private readonly Random _random = new(options.RandomSeed);

    public int Run()
    {
        var seeds = LoadSeeds();
        if (seeds.Count == 0)
        {
            Console.Error.WriteLine($"{name}: no seed files in {string.Join(", ", options.Seeds)}");
            return 2;
        }

        Directory.CreateDirectory(options.Out);
        var clock = Stopwatch.StartNew();
        long runs = 0;
        var crashes = 0;
        var slow = 0;
        var slowest = TimeSpan.Zero;
        while (clock.Elapsed < options.Duration)
        {
            var input = Mutate(seeds[_random.Next(seeds.Count)], seeds);
            runs++;
            var (failure, elapsed) = Execute(input);
            slowest = elapsed > slowest ? elapsed : slowest;
            if (failure is not null)
            {
                crashes++;
                Keep("crash", input, failure.ToString());
            }
            else if (elapsed > options.Slow && Execute(input).Elapsed > options.Slow)
            {
                slow++;
                Keep("slow", input, $"{elapsed.TotalMilliseconds:0} ms for {input.Length} characters");
            }
        }

        Console.WriteLine($"{name}: {runs} inputs in {clock.Elapsed.TotalSeconds:0} s (seeded mutation loop, seed {options.RandomSeed}); " +
            $"{crashes} crashes, {slow} slow (over {options.Slow.TotalMilliseconds:0} ms), slowest {slowest.TotalMilliseconds:0.0} ms");
        return crashes + slow == 0 ? 0 : 1;
    }

    private (Exception? Failure, TimeSpan Elapsed) Execute(string input)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            target(input);
            return (null, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception e)
        {
            return (e, Stopwatch.GetElapsedTime(started));
        }
    }

    private void Keep(string kind, string input, string why)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(input)))[..16];
        var path = Path.Combine(options.Out, $"{name}-{kind}-{hash}.txt");
        File.WriteAllText(path, input);
        Console.WriteLine($"{name}: {kind} kept as {path}: {why.Split('\n')[0]}");
    }

    private string Mutate(string input, List<string> seeds)
    {
        var text = new StringBuilder(input);
        for (int i = 0, count = 1 + _random.Next(4); i < count; i++)
        {
            var at = text.Length == 0 ? 0 : _random.Next(text.Length);
            switch (_random.Next(6))
            {
                case 0 when text.Length > 0:
                    text[at] = (char)_random.Next(1, 0x250);
                    break;
                case 1:
                    text.Insert(at, s_tokens[_random.Next(s_tokens.Length)]);
                    break;
                case 2:
                    // A slice repeated many times: the input that turns a restarting scan quadratic.
                    var slice = _random.Next(2) == 0
                        ? s_tokens[_random.Next(s_tokens.Length)]
                        : text.ToString(at, Math.Min(text.Length - at, 1 + _random.Next(64)));
                    var times = _random.Next(2) == 0 ? _random.Next(2, 50) : _random.Next(500, 20_000);
                    text.Insert(at, string.Concat(Enumerable.Repeat(slice, times)));
                    break;
                case 3 when text.Length > 0:
                    text.Remove(at, Math.Min(text.Length - at, 1 + _random.Next(200)));
                    break;
                case 4:
                    var other = seeds[_random.Next(seeds.Count)];
                    var from = _random.Next(other.Length + 1);
                    text.Insert(at, other.AsSpan(from, Math.Min(other.Length - from, _random.Next(2000))));
                    break;
                default:
                    text.Length = at;
                    break;
            }
        }

        return text.Length > MaxInput ? text.ToString(0, MaxInput) : text.ToString();
    }

    private List<string> LoadSeeds()
    {
        var seeds = new List<string>();
        foreach (var source in options.Seeds)
        {
            string[] files = Directory.Exists(source) ? [.. Directory.GetFiles(source).Order(StringComparer.Ordinal)] : File.Exists(source) ? [source] : [];
            foreach (var file in files.Take(500))
            {
                var text = File.ReadAllText(file);
                seeds.Add(text.Length > MaxInput ? text[..MaxInput] : text);
            }
        }

        return seeds;
    }
}
