namespace Cables.Parsing.Tests;

/// <summary>
/// A parse under a <see cref="ParseBudget"/> stops once the budget is spent or its token cancelled, wherever it is.
/// The budgets here run on a <see cref="StepClock"/> (a millisecond per reading), so they count the parser's checks.
/// </summary>
public sealed class ParseBudgetTests
{
    private static readonly string s_seed = File.ReadAllText(SharedFolder.Path("corpus", "seed", "08BRUSSELS1390.txt"));

    /// <summary>About a megabyte of header lines, each of which the header reader looks at.</summary>
    private static readonly string s_hostile = Repeat("DE RUEHBS #1390/01 2491818\n", 1_000_000);

    [Fact]
    public void A_parse_within_its_budget_gives_what_an_unbudgeted_parse_gives()
    {
        var free = CableParser.Parse(new RawCable(s_seed, SourceFormat.Telegram, null));
        var budgeted = Parse(new RawCable(s_seed, SourceFormat.Telegram, null), new ParseBudget(TimeSpan.FromMinutes(1)));

        Assert.Equal(free.ReferenceId, budgeted.ReferenceId);
        Assert.Equal(free.Subject, budgeted.Subject);
        Assert.Equal(free.Tags, budgeted.Tags);
        Assert.Equal(free.Body, budgeted.Body);
        Assert.Equal(free.Warnings.Count, budgeted.Warnings.Count);
    }

    [Fact]
    public void A_real_cable_parses_in_a_few_dozen_checks()
    {
        using var clock = new StepClock();
        Parse(new RawCable(s_seed, SourceFormat.Telegram, null), new ParseBudget(TimeSpan.FromMinutes(1), clock: clock));

        Assert.InRange(clock.Reads, 1, 100);
    }

    [Fact]
    public void A_megabyte_of_header_lines_is_stopped_when_its_budget_is_spent()
    {
        using var clock = new StepClock();
        var budget = new ParseBudget(TimeSpan.FromMilliseconds(100), clock: clock);

        var error = Assert.Throws<ParseBudgetExceededException>(() => Parse(new RawCable(s_hostile, SourceFormat.Telegram, null), budget));

        Assert.Equal(TimeSpan.FromMilliseconds(100), error.Limit);
        Assert.Equal(102, clock.Reads); // the start, then a hundred and one checks: it stopped at the first over the budget
    }

    [Fact]
    public void The_same_input_without_a_budget_parses_to_the_end()
    {
        var parsed = CableParser.Parse(s_hostile);

        Assert.NotNull(parsed.Body);
    }

    [Fact]
    public void A_cancelled_token_stops_the_parse_where_it_is()
    {
        using var cancellation = new CancellationTokenSource();
        using var clock = new StepClock(reads =>
        {
            if (reads == 10)
            {
                cancellation.Cancel();
            }
        });
        var budget = new ParseBudget(TimeSpan.FromHours(1), clock, cancellation.Token);

        Assert.ThrowsAny<OperationCanceledException>(() => Parse(new RawCable(s_hostile, SourceFormat.Telegram, null), budget));
        Assert.Equal(10, clock.Reads); // the start and nine checks; the tenth found the token cancelled
    }

    [Fact]
    public void A_zero_budget_is_spent_at_the_first_check()
    {
        using var clock = new StepClock();
        Assert.Throws<ParseBudgetExceededException>(() => Parse(new RawCable(s_seed, SourceFormat.Telegram, null), new ParseBudget(TimeSpan.Zero, clock: clock)));
    }

    [Fact]
    public void The_page_reader_checks_the_budget_in_force()
    {
        var page = "<html><pre>" + Repeat("<b>x</b> line &amp; more\n", 1_000_000) + "</pre></html>";
        using var clock = new StepClock();

        using (new ParseBudget(TimeSpan.FromMilliseconds(50), clock: clock).Enter())
        {
            Assert.Throws<ParseBudgetExceededException>(() => WikiLeaksHtml.Read(page));
        }

        Assert.Equal(52, clock.Reads);
    }

    [Fact]
    public void The_row_reader_checks_the_budget_in_force()
    {
        var csv = Repeat("\"1\",\"12/1/2008 12:00\",\"08CAIRO1\",\"Embassy Cairo\",\"CONFIDENTIAL\",\"\",\"header\",\"text\"\n", 1_000_000);
        using var clock = new StepClock();
        using var reader = new StringReader(csv);

        using (new ParseBudget(TimeSpan.FromMilliseconds(50), clock: clock).Enter())
        {
            Assert.Throws<ParseBudgetExceededException>(() => CablesCsv.Read(reader).Count());
        }

        Assert.Equal(52, clock.Reads);
    }

    [Fact]
    public void A_scope_ended_leaves_no_budget_behind()
    {
        using var clock = new StepClock();
        using (new ParseBudget(TimeSpan.Zero, clock: clock).Enter())
        {
        }

        Assert.NotNull(CableParser.Parse(s_hostile).Body);
    }

    private static ParsedCable Parse(RawCable cable, ParseBudget budget)
    {
        using (budget.Enter())
        {
            return CableParser.Parse(cable);
        }
    }

    private static string Repeat(string unit, int length)
    {
        var text = new StringBuilder(length + unit.Length);
        while (text.Length < length)
        {
            text.Append(unit);
        }

        return text.ToString();
    }
}
