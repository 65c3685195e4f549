using System.Buffers;

namespace Cables.Parsing;

/// <summary>
/// Case-insensitive keyword search. With InvariantGlobalization, <c>IndexOf(…, OrdinalIgnoreCase)</c> compares char by
/// char (a fifth of the parse time); <see cref="SearchValues{T}"/> with OrdinalIgnoreCase finds the same matches vectorised.
/// </summary>
internal static class TextSearch
{
    public static SearchValues<string> IgnoreCase(params ReadOnlySpan<string> words) =>
        SearchValues.Create(words, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The first match at or after <paramref name="from"/> of any of <paramref name="words"/>, or -1: for one word the same
    /// as <c>text.IndexOf(word, from, OrdinalIgnoreCase)</c>, for several the least of those.
    /// </summary>
    public static int IndexOf(string text, SearchValues<string> words, int from = 0)
    {
        var at = text.AsSpan(from).IndexOfAny(words);
        return at < 0 ? -1 : at + from;
    }
}
