using Cables.Parsing.Tests.Conformance;

namespace Cables.Parsing.Tests;

/// <summary>cablemap's test vectors (shared/conformance) against our field extractors.</summary>
public class ConformanceTests(ITestOutputHelper output)
{
    private const double OverallGoal = 0.95;
    private const double FamilyGoal = 0.90;

    public static TheoryData<int> VectorIds => [.. ConformanceVector.All.Keys.Order()];

    /// <summary>Each vector as its own case so a failure names it; known-wrong vectors report their reason instead.</summary>
    [Theory]
    [MemberData(nameof(VectorIds))]
    public void Vector(int id)
    {
        var vector = ConformanceVector.All[id];
        var passed = ConformanceRunner.Passes(vector, out var actual);
        if (!passed && KnownWrongVectors.Reasons.TryGetValue(id, out var reason))
        {
            output.WriteLine($"{vector}: known wrong ({reason}); we answer {ConformanceVector.Show(actual)}");
            return;
        }

        Assert.True(passed, $"{vector}\ninput: {vector.Input}\nexpected: {ConformanceVector.Show(vector.Expected)}\nactual:   {ConformanceVector.Show(actual)}");
    }

    [Fact]
    public void Pass_rate_meets_the_goal_overall_and_per_family()
    {
        var rows = ConformanceVector.All.Values
            .Where(v => !KnownWrongVectors.Excluded.Contains(v.Id))
            .GroupBy(v => v.Family)
            .Select(g => (Family: g.Key, Vectors: g.Count(), Passed: g.Count(v => ConformanceRunner.Passes(v, out _))))
            .OrderByDescending(r => r.Vectors)
            .ToList();

        var total = rows.Sum(r => r.Vectors);
        var passed = rows.Sum(r => r.Passed);
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"{"family",-20} {"vectors",7} {"passed",7} {"%",6}");
        foreach (var (family, vectors, ok) in rows)
        {
            table.AppendLine(CultureInfo.InvariantCulture, $"{family,-20} {vectors,7} {ok,7} {100.0 * ok / vectors,6:F1}");
        }

        table.AppendLine(CultureInfo.InvariantCulture, $"{"all",-20} {total,7} {passed,7} {100.0 * passed / total,6:F1}");
        table.AppendLine(CultureInfo.InvariantCulture, $"excluded as contradictory: {KnownWrongVectors.Excluded.Count}");
        output.WriteLine(table.ToString());
        Console.WriteLine(table.ToString());

        var belowGoal = rows.Where(r => (double)r.Passed / r.Vectors < FamilyGoal).Select(r => r.Family).ToList();
        Assert.True((double)passed / total >= OverallGoal && belowGoal.Count == 0,
            $"goal: ≥{OverallGoal:P0} overall and ≥{FamilyGoal:P0} per family; below: [{string.Join(", ", belowGoal)}]\n{table}");
    }
}
