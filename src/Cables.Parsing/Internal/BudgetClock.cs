namespace Cables.Parsing.Internal;

/// <summary>
/// The <see cref="ParseBudget"/> in force on this thread, checked by the readers' loops through <see cref="Check"/>.
/// With no budget a check is one thread-static read; with one, the clock is read every <see cref="Stride"/> checks,
/// so that a check per line costs little more than the loop it sits in.
/// </summary>
internal sealed class BudgetClock : IDisposable
{
    /// <summary>Checks between readings of the clock: a line is read in well under a microsecond.</summary>
    private const int Stride = 64;

    [ThreadStatic]
    private static BudgetClock? t_current;

    private readonly BudgetClock? _outer;
    private readonly TimeProvider _clock;
    private readonly long _start;
    private readonly ParseBudget _budget;
    private int _countdown;

    private BudgetClock(ParseBudget budget, TimeProvider clock, BudgetClock? outer)
    {
        _budget = budget;
        _clock = clock;
        _outer = outer;
        _start = clock.GetTimestamp();
    }

    public static IDisposable Enter(ParseBudget budget, TimeProvider clock)
    {
        var entered = new BudgetClock(budget, clock, t_current);
        t_current = entered;
        return entered;
    }

    /// <summary>A check inside a loop: reads the clock every <see cref="Stride"/> calls.</summary>
    public static void Check()
    {
        if (t_current is { } current && --current._countdown <= 0)
        {
            current.CheckNow();
        }
    }

    /// <summary>A check between stages of a parse: reads the clock at once.</summary>
    public static void CheckBetween() => t_current?.CheckNow();

    public void Dispose()
    {
        if (ReferenceEquals(t_current, this))
        {
            t_current = _outer;
        }
    }

    private void CheckNow()
    {
        _countdown = Stride;
        _budget.CancellationToken.ThrowIfCancellationRequested();
        if (_clock.GetElapsedTime(_start) > _budget.Limit)
        {
            throw new ParseBudgetExceededException(_budget.Limit);
        }
    }
}
