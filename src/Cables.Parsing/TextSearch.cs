using System.Buffers;

namespace Cables.Parsing;

/// <summary>
/// Scans of text the readers share. Case-insensitive keyword search: with InvariantGlobalization,
/// <c>IndexOf(…, OrdinalIgnoreCase)</c> compares char by char (a fifth of the parse time); <see cref="SearchValues{T}"/>
/// with OrdinalIgnoreCase finds the same matches vectorised.
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

    /// <summary>Whether any character is a lower-case letter (any script, as <see cref="char.IsLower(char)"/>).</summary>
    public static bool HasLowerCase(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (char.IsLower(c))
            {
                return true;
            }
        }

        return false;
    }
}
