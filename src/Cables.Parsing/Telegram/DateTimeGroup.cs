namespace Cables.Parsing.Telegram;

/// <summary>
/// A date-time group line: <c>P 051818Z SEP 08</c>, dual precedence <c>P R 041820Z JAN 10</c>, suffixes
/// (<c>ZDK</c>, <c>ZFF4</c>), mixed case from WikiLeaks pages (<c>292031Z Sep 05</c>), four-digit years.
/// </summary>
internal readonly record struct DateTimeGroup(DateTime Utc, string? Precedence, string? SecondaryPrecedence)
{
    private static readonly string[] s_months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

    /// <summary>Reads a whole line as a DTG; false for anything else (a DTG is never part of a longer sentence).</summary>
    public static bool TryParse(ReadOnlySpan<char> line, out DateTimeGroup dtg)
    {
        dtg = default;
        line = line.Trim();
        string? first = null, second = null;

        // Up to two one-letter precedences (O, P, R, Z…) before the digits.
        for (var i = 0; i < 2 && line.Length > 2 && char.IsAsciiLetterUpper(line[0]) && line[1] == ' '; i++)
        {
            if (i == 0)
            {
                first = Letter(line[0]);
            }
            else
            {
                second = Letter(line[0]);
            }

            line = line[2..];
        }

        // DDHHMMZ
        if (line.Length < 7 || !AllDigits(line[..6]) || (line[6] != 'Z' && line[6] != 'z'))
        {
            return false;
        }

        var day = Number(line[..2]);
        var hour = Number(line.Slice(2, 2));
        var minute = Number(line.Slice(4, 2));
        line = line[7..].TrimStart();

        if (line.Length < 3)
        {
            return false;
        }

        var month = MonthOf(line[..3]);
        if (month == 0)
        {
            return false;
        }

        line = line[3..].TrimStart();
        var digits = 0;
        while (digits < line.Length && char.IsAsciiDigit(line[digits]))
        {
            digits++;
        }

        if (digits is not (2 or 4) || (digits < line.Length && !char.IsWhiteSpace(line[digits]) && line[digits] != '\\'))
        {
            return false;
        }

        if (!OnlyOperatingSignalsFollow(line[digits..]))
        {
            return false;
        }

        var year = digits == 4 ? Number(line[..4]) : ExpandYear(Number(line[..2]));
        if (day is < 1 or > 31 || hour > 24 || minute > 59 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        // 2400Z is midnight at the end of the day, as military time writes it.
        var utc = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc).AddHours(hour).AddMinutes(minute);
        dtg = new DateTimeGroup(utc, first, second);
        return true;
    }

    /// <summary>
    /// What may follow the year: nothing, or an operating signal (<c>ZDK</c>, <c>ZUI</c>, <c>ZFF4</c>, <c>CCY</c>, wrapped as
    /// <c>//ZEL//</c> or <c>(CCY …</c>) and then its operands, which are free text (<c>ZDK CTG NUMEROUS SERVICES</c>,
    /// <c>ZUI SVC RUEHAD9405 1630957</c>, <c>ZDS CITE RUEHSD 0005</c>). A DTG is never part of a sentence, so anything
    /// else after the year (<c>… SEP 08 was the time</c>) means the line is not a DTG line.
    /// </summary>
    internal static bool OnlyOperatingSignalsFollow(ReadOnlySpan<char> rest)
    {
        rest = rest.Trim().TrimStart('\\').TrimStart();
        if (rest.IsEmpty)
        {
            return true;
        }

        var end = rest.IndexOf(' ');
        var signal = (end < 0 ? rest : rest[..end]).Trim("/()\\");
        if (signal.Length >= 3 && char.IsAsciiLetterUpper(signal[1]) && char.IsAsciiLetterUpper(signal[2]))
        {
            // Z signals are ZAA-ZZZ with an optional count (ZFF4); CCY is the one C signal on DTG lines.
            var tail = signal[3..];
            var letters = signal[..3];
            if ((letters[0] == 'Z' || letters.SequenceEqual("CCY")) && (tail.IsEmpty || IsSignalTail(tail)))
            {
                return true;
            }
        }

        return false;

        // ZFF4, ZDK CTG#6223 glued: digits, or a '#' and what follows it.
        static bool IsSignalTail(ReadOnlySpan<char> tail) => AllDigits(tail) || tail[0] == '#';
    }

    /// <summary>Two-digit years of the cables: 66-99 are 19xx, 00-65 are 20xx.</summary>
    public static int ExpandYear(int twoDigits) => twoDigits >= 66 ? 1900 + twoDigits : 2000 + twoDigits;

    // Precedence letters (Z flash, O immediate, P priority, R routine) as interned strings: no allocation per cable.
    private static string Letter(char c) => c switch
    {
        'Z' => "Z",
        'O' => "O",
        'P' => "P",
        'R' => "R",
        'M' => "M",
        _ => c.ToString(),
    };

    private static int MonthOf(ReadOnlySpan<char> name)
    {
        Span<char> upper = stackalloc char[3];
        name.ToUpperInvariant(upper);
        for (var i = 0; i < s_months.Length; i++)
        {
            if (upper.SequenceEqual(s_months[i]))
            {
                return i + 1;
            }
        }

        return 0;
    }

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static int Number(ReadOnlySpan<char> digits)
    {
        var n = 0;
        foreach (var c in digits)
        {
            n = (n * 10) + (c - '0');
        }

        return n;
    }
}
