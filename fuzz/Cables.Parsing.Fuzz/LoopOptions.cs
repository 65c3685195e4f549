using System.Globalization;

namespace Cables.Parsing.Fuzz;

/// <summary>The command line of a fuzz run.</summary>
public sealed record LoopOptions
{
    public string Engine { get; init; } = "loop";

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    public List<string> Seeds { get; } = [];

    public string Out { get; init; } = "fuzz/found";

    /// <summary>An input whose run takes longer than this (twice, to rule out a pause of the machine's) is kept as slow.</summary>
    public TimeSpan Slow { get; init; } = TimeSpan.FromMilliseconds(250);

    public int RandomSeed { get; init; } = 1;

    public static LoopOptions From(string[] args)
    {
        var options = new LoopOptions();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            options = args[i] switch
            {
                "--engine" => options with { Engine = value },
                "--seconds" => options with { Duration = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--out" => options with { Out = value },
                "--slow-ms" => options with { Slow = TimeSpan.FromMilliseconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--seed" => options with { RandomSeed = int.Parse(value, CultureInfo.InvariantCulture) },
                "--seeds" => options.With(value),
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        return options;
    }

    private LoopOptions With(string seeds)
    {
        Seeds.Add(seeds);
        return this;
    }
}
