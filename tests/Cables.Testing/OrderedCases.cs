using Xunit;

namespace Cables.Testing;

/// <summary>Theory data that runs each named case in both orders (ascending, then descending).</summary>
public static class OrderedCases
{
    public static TheoryData<string, bool> Of(IEnumerable<string> names)
    {
        var data = new TheoryData<string, bool>();
        foreach (var name in names)
        {
            data.Add(name, false);
            data.Add(name, true);
        }

        return data;
    }
}
