using System.Text;
using Cables.Parsing.Model;

namespace Cables.Parsing.Telegram;

/// <summary>
/// Numbered body paragraphs (<c>¶3. (C) text…</c>, <c>3. (S/NF) …</c>) with their classification marking.
/// A paragraph runs to the next numbered one; blocks between them join it unless they are a one-line
/// heading or sign-off in capitals (<c>NATO MAP: MAYBE A NEW VIEW</c>, <c>TAPLIN</c>).
/// </summary>
internal static class ParagraphReader
{
    private const int MaxKeptBuilder = 1 << 18;

    [ThreadStatic]
    private static StringBuilder? t_text;

    public static IReadOnlyList<Paragraph> Read(TextLines lines, int from)
    {
        var paragraphs = new List<Paragraph>();
        Scan(lines, from, (number, marking, text) => paragraphs.Add(new Paragraph(number, marking, text.ToString())));
        return paragraphs;
    }

    /// <summary>What <see cref="Read"/> returns, handed over paragraph by paragraph with the text still in its builder.</summary>
    public static void Visit(TextLines lines, int from, Action<int?, string?, StringBuilder> visit) => Scan(lines, from, visit);

    /// <summary>Hands each paragraph to <paramref name="close"/> as it ends.</summary>
    private static void Scan(TextLines lines, int from, Action<int?, string?, StringBuilder> close)
    {
        int? number = null;
        string? marking = null;
        // Reused per thread: a fresh builder regrew its chunks for every cable.
        var text = t_text ??= new StringBuilder(1024);
        text.Clear();
        var open = false;

        for (var i = from; i < lines.Count;)
        {
            if (lines.LengthOf(i) == 0)
            {
                i++;
                continue;
            }

            // One block: lines up to the next blank line.
            var blockEnd = i;
            while (blockEnd < lines.Count && lines.LengthOf(blockEnd) > 0)
            {
                blockEnd++;
            }

            for (var j = i; j < blockEnd; j++)
            {
                if (TryStart(lines.Span(j), out var n, out var m, out var rest) && (j == i || n == (number ?? 0) + 1))
                {
                    Close();
                    open = true;
                    number = n;
                    marking = m;
                    Append(text, rest);
                }
                else if (open && (j > i || blockEnd - i > 1 || TextSearch.HasLowerCase(lines.Span(j))))
                {
                    // Inside a numbered paragraph; a lone capitals line after a blank line is a heading or sign-off.
                    Append(text, lines.Span(j));
                }
            }

            i = blockEnd;
        }

        Close();
        text.Clear();
        if (text.Capacity > MaxKeptBuilder)
        {
            t_text = null;
        }

        void Close()
        {
            if (!open)
            {
                return;
            }

            open = false;
            close(number, marking, text);
            text.Clear();
        }
    }

    /// <summary>Opens a paragraph: <c>¶12. (C) …</c>, <c>1. (SBU) …</c>, <c>2. …</c>.</summary>
    internal static bool TryStart(ReadOnlySpan<char> line, out int number, out string? marking, out ReadOnlySpan<char> rest)
    {
        number = 0;
        marking = null;
        rest = line.TrimStart();
        if (!rest.IsEmpty && rest[0] == '¶')
        {
            rest = rest[1..];
        }

        var digits = 0;
        while (digits < rest.Length && digits < 4 && char.IsAsciiDigit(rest[digits]))
        {
            digits++;
        }

        if (digits is 0 or > 3 || digits >= rest.Length || rest[digits] != '.' || (digits + 1 < rest.Length && rest[digits + 1] != ' '))
        {
            return false;
        }

        number = int.Parse(rest[..digits], provider: null);
        rest = rest[(digits + 1)..].TrimStart();
        if (number == 0)
        {
            return false;
        }

        if (rest.Length > 2 && rest[0] == '(')
        {
            var close = rest.IndexOf(')');
            if (close > 1 && close <= 12 && IsMarking(rest[1..close]))
            {
                marking = rest[1..close].ToString();
                rest = rest[(close + 1)..].TrimStart();
            }
        }

        return true;
    }

    /// <summary><c>C</c>, <c>S/NF</c>, <c>SBU</c>, <c>U//FOUO</c>, <c>TS</c>: a level letter code, optionally with caveats after slashes.</summary>
    private static bool IsMarking(ReadOnlySpan<char> text)
    {
        var slash = text.IndexOf('/');
        var level = slash < 0 ? text : text[..slash];
        if (level is not ("U" or "C" or "S" or "TS" or "SBU" or "LOU" or "FOUO"))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiLetterUpper(c) && c != '/')
            {
                return false;
            }
        }

        return true;
    }

    private static void Append(StringBuilder text, ReadOnlySpan<char> line)
    {
        line = line.Trim();
        if (line.IsEmpty)
        {
            return;
        }

        if (text.Length > 0)
        {
            text.Append(' ');
        }

        text.Append(line);
    }
}
