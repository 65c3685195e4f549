namespace Cables.Parsing.Fields;

/// <summary>The E.O. line's declassification deadline: <c>E.O. 12958: DECL: 11/22/2012</c> → 2012-11-22; <c>N/A</c>, <c>OADR</c>, <c>X1</c> → none.</summary>
internal static class Declassification
{
    public static DateOnly? Parse(string content)
    {
        if (string.IsNullOrEmpty(content))
        {
            return null;
        }

        var at = content.IndexOf("DECL", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }

        var i = at + 4;
        while (i < content.Length && content[i] is ':' or ' ' or '\t')
        {
            i++;
        }

        // Three numbers separated by '/' (or '-'/'.'): M/D/Y or Y/M/D.
        Span<int> numbers = stackalloc int[3];
        Span<int> lengths = stackalloc int[3];
        for (var n = 0; n < 3; n++)
        {
            var start = i;
            var value = 0;
            while (i < content.Length && char.IsAsciiDigit(content[i]) && i - start < 4)
            {
                value = value * 10 + (content[i] - '0');
                i++;
            }

            if (i == start)
            {
                return null;
            }

            numbers[n] = value;
            lengths[n] = i - start;
            if (n < 2)
            {
                if (i >= content.Length || content[i] is not ('/' or '-' or '.'))
                {
                    return null;
                }

                i++;
            }
        }

        int year, month, day;
        if (lengths[0] == 4)
        {
            (year, month, day) = (numbers[0], numbers[1], numbers[2]);
        }
        else
        {
            (month, day, year) = (numbers[0], numbers[1], numbers[2]);
            if (lengths[2] <= 2)
            {
                year += year < 50 ? 2000 : 1900;
            }
        }

        return year is >= 1900 and <= 2100 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? new DateOnly(year, month, day)
            : null;
    }
}
