using System.Collections;
using Cables.Parsing.Internal;

namespace Cables.Parsing.Telegram;

/// <summary>
/// The lines of a normalised text (as <c>text.Split('\n')</c> without the empty piece after a final line break), each
/// made a string only when asked for: the header and banner readers take strings, while the paragraph reader and the
/// front-matter scan read spans, so most body lines are never copied out of the text.
/// </summary>
/// <remarks>Borrows <paramref name="text"/> (the parser's reused buffer): valid only while that parse runs.</remarks>
internal sealed class TextLines(ReadOnlyMemory<char> text) : IReadOnlyList<string>
{
    private readonly int[] _starts = Starts(text.Span);
    private string?[]? _strings;

    public int Count => _starts.Length - 1;

    public string this[int index]
    {
        get
        {
            BudgetClock.Check();
            _strings ??= new string?[Count];
            return _strings[index] ??= new string(Span(index));
        }
    }

    public ReadOnlySpan<char> Span(int index)
    {
        // Every line loop of the readers passes here: the budget in force is checked per line.
        BudgetClock.Check();
        return text.Span.Slice(_starts[index], LengthOf(index));
    }

    /// <summary>The length of line <paramref name="index"/> without making it a string.</summary>
    public int LengthOf(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return _starts[index + 1] - 1 - _starts[index];
    }

    /// <summary>Lines <paramref name="from"/> to <paramref name="to"/> (exclusive) joined by line breaks: the slice of the text they came from.</summary>
    public string Join(int from, int to) =>
        to <= from ? "" : new string(text.Span[_starts[from]..(_starts[to] - 1)]);

    public IEnumerator<string> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Where each line starts, plus one entry past the end as if the last line ended in a line break.</summary>
    private static int[] Starts(ReadOnlySpan<char> text)
    {
        var count = text.Count('\n') + (text.IsEmpty || text[^1] == '\n' ? 0 : 1);
        var starts = new int[count + 1];
        var at = 0;
        for (var i = 0; i < count; i++)
        {
            BudgetClock.Check();
            starts[i] = at;
            var length = text[at..].IndexOf('\n');
            at += (length < 0 ? text.Length - at : length) + 1;
        }

        starts[count] = at;
        return starts;
    }
}
