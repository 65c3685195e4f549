using Cables.Parsing.Telegram;

namespace Cables.Parsing.Tests;

/// <summary>Date-time group lines as they occur in the corpus.</summary>
public sealed class DateTimeGroupTests
{
    [Theory]
    [InlineData("P 051818Z SEP 08", "2008-09-05T18:18", "P", null)]
    [InlineData("O 201218Z APR 00", "2000-04-20T12:18", "O", null)]
    [InlineData("R 161747Z JAN 08", "2008-01-16T17:47", "R", null)]
    [InlineData("P R 041820Z JAN 10", "2010-01-04T18:20", "P", "R")]
    [InlineData("O P 231600Z FEB 09", "2009-02-23T16:00", "O", "P")]
    [InlineData("P 072135Z JUL 09 ZDS", "2009-07-07T21:35", "P", null)]
    [InlineData("O 231355Z MAR 07 ZDK", "2007-03-23T13:55", "O", null)]
    [InlineData("R 150900Z FEB 06 ZFF4", "2006-02-15T09:00", "R", null)]
    [InlineData("292031Z Sep 05", "2005-09-29T20:31", null, null)]
    [InlineData("141238Z Jul 92", "1992-07-14T12:38", null, null)]
    [InlineData("O 010042Z DEC 66", "1966-12-01T00:42", "O", null)]
    [InlineData("P 311200Z DEC 65", "2065-12-31T12:00", "P", null)]
    [InlineData("P 051818Z SEP 2008", "2008-09-05T18:18", "P", null)]
    [InlineData("  P 051818Z SEP 08  ", "2008-09-05T18:18", "P", null)]
    [InlineData("P 052400Z SEP 08", "2008-09-06T00:00", "P", null)]
    public void Reads_the_group(string line, string utc, string? precedence, string? secondary)
    {
        Assert.True(DateTimeGroup.TryParse(line, out var dtg));
        Assert.Equal(DateTime.Parse(utc + ":00Z", null, System.Globalization.DateTimeStyles.AdjustToUniversal), dtg.Utc);
        Assert.Equal(DateTimeKind.Utc, dtg.Utc.Kind);
        Assert.Equal(precedence, dtg.Precedence);
        Assert.Equal(secondary, dtg.SecondaryPrecedence);
    }

    [Theory]
    [InlineData("")]
    [InlineData("P")]
    [InlineData("FM AMEMBASSY BRUSSELS")]
    [InlineData("P 051818 SEP 08")]
    [InlineData("P 051818Z SPT 08")]
    [InlineData("P 321818Z SEP 08")]
    [InlineData("P 301818Z FEB 08")]
    [InlineData("P 051878Z SEP 08")]
    [InlineData("P 051818Z SEP 123")]
    [InlineData("PAGE 01        STATE   228220  010044Z")]
    [InlineData("051818Z SEP 08 was the time the meeting ended")]
    public void Rejects_what_is_not_a_group(string line) => Assert.False(DateTimeGroup.TryParse(line, out _));

    [Theory]
    [InlineData(66, 1966)]
    [InlineData(99, 1999)]
    [InlineData(0, 2000)]
    [InlineData(65, 2065)]
    [InlineData(10, 2010)]
    public void Two_digit_years_pivot_at_66(int twoDigits, int year) => Assert.Equal(year, DateTimeGroup.ExpandYear(twoDigits));
}
