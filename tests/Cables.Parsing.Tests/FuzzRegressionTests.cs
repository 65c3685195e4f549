using Cables.Parsing.Fuzz;

namespace Cables.Parsing.Tests;

/// <summary>
/// Every input kept in fuzz/regressions (the fuzzer's crashes and slow inputs, and the hostile inputs found by hand) runs
/// through its fuzz target without a fault, and within the service's default parse budget of a second. The file name
/// starts with the target: parse-, html- or csv-.
/// </summary>
public sealed class FuzzRegressionTests
{
    public static TheoryData<string> Inputs => [.. Directory.GetFiles(RepositoryFolder.Path("fuzz", "regressions")).Select(path => Path.GetFileName(path)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Inputs))]
    public void A_kept_input_runs_through_its_target_within_the_default_budget(string file)
    {
        var text = File.ReadAllText(RepositoryFolder.Path("fuzz", "regressions", file));
        var target = FuzzTargets.All[file[..file.IndexOf('-', StringComparison.Ordinal)]];

        using (new ParseBudget(TimeSpan.FromSeconds(1)).Enter())
        {
            target(text);
        }
    }
}
