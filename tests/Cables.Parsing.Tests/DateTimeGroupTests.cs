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
    public void Reads_the_group(string line, string utc, string? precedence, string? secondary) => AssertGroup(line, utc, precedence, secondary);

    /// <summary>Operating signals after the year, and their operands, are part of the DTG line's format.</summary>
    [Theory]
    [InlineData("P 071355Z JUL 08 ZDK CTG NUMEROUS SERVICES", "2008-07-07T13:55", "P", null)]
    [InlineData("P 291513Z MAY 08 ZUI SVC RUEHAD9405 1630957", "2008-05-29T15:13", "P", null)]
    [InlineData("O 220500Z JUL 08 ZDK CTG #00732", "2008-07-22T05:00", "O", null)]
    [InlineData("R 161428Z NOV 09 ZDK CTG#6223", "2009-11-16T14:28", "R", null)]
    [InlineData("P 181615Z AUG 08 CCY", "2008-08-18T16:15", "P", null)]
    [InlineData("O 011538Z AUG 08 ZDS CITE RUEHSD 0005", "2008-08-01T15:38", "O", null)]
    [InlineData("O 161643Z MAR 08 //ZEL//", "2008-03-16T16:43", "O", null)]
    [InlineData("P R 151635Z JAN 09", "2009-01-15T16:35", "P", "R")]
    [InlineData("O R 041614Z FEB 10 (CCY ADDRESSEES)", "2010-02-04T16:14", "O", "R")]
    [InlineData("O 261055Z JAN 10        ZDK", "2010-01-26T10:55", "O", null)]
    [InlineData("P 231230Z JUL 08 ZFR ZFR ZFR", "2008-07-23T12:30", "P", null)]
    [InlineData("R 121241Z MAY 08 ZFF3 \\", "2008-05-12T12:41", "R", null)]
    [InlineData("P 181615Z AUG 08 ZEL//", "2008-08-18T16:15", "P", null)]
    public void Reads_the_group_past_operating_signals(string line, string utc, string? precedence, string? secondary) =>
        AssertGroup(line, utc, precedence, secondary);

    private static void AssertGroup(string line, string utc, string? precedence, string? secondary)
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
    [InlineData("P 071355Z JUL 08 CTG NUMEROUS SERVICES")]
    [InlineData("P 071355Z JUL 08 ZEBRA CROSSING")]
    [InlineData("P 071355Z JUL 08 CCYX")]
    [InlineData("REF: WHITE HOUSE O P 261812Z APR 03")]
    [InlineData("P 071355Z JUL 08 (SEE REF)")]
    public void Rejects_what_is_not_a_group(string line) => Assert.False(DateTimeGroup.TryParse(line, out _));

    [Theory]
    [InlineData(66, 1966)]
    [InlineData(99, 1999)]
    [InlineData(0, 2000)]
    [InlineData(65, 2065)]
    [InlineData(10, 2010)]
    public void Two_digit_years_pivot_at_66(int twoDigits, int year) => Assert.Equal(year, DateTimeGroup.ExpandYear(twoDigits));
}
