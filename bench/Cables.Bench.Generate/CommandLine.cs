namespace Cables.Bench.Generate;

/// <summary>The harness's programs take <c>--name value</c> pairs only: run.sh is their one caller.</summary>
public static class CommandLine
{
    public static Dictionary<string, string> Parse(IEnumerable<string> args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var name = e.Current;
            if (!name.StartsWith("--", StringComparison.Ordinal) || !e.MoveNext())
                throw new ArgumentException($"Expected --name value, got '{name}'.");
            options[name[2..]] = e.Current;
        }
        return options;
    }
}
