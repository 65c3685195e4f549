using Cables.Parsing.Model;

namespace Cables.Parsing.Fields;

public sealed record ClassifiedByResult(IReadOnlyList<Classifier> Classifiers, IReadOnlyList<string> Reasons);

/// <summary>"Classified By" line: names, titles, reasons. Stub until parser-fields lands.</summary>
public static class ClassifiedBy
{
    public static ClassifiedByResult Parse(string content) => new([], []);
}
