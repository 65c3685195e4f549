using Cables.Parsing.Internal;

namespace Cables.Parsing;

/// <summary>
/// How long the parse of one item may run, and a token that stops it early. Every reader of this library called on a
/// thread inside <see cref="Enter"/> checks the budget as it goes (per line and between fields), and throws
/// <see cref="ParseBudgetExceededException"/> once the time is spent or <see cref="OperationCanceledException"/> once
/// the token is cancelled. The readers are linear in their input, so a check per line bounds the overrun to one line's work.
/// </summary>
/// <remarks>
/// Wall-clock time from <see cref="Enter"/>, read from <c>clock</c> (the system's by default): a thread the
/// machine preempts spends its budget waiting, which only matters for a budget close to a cable's real parse time.
/// </remarks>
public sealed class ParseBudget(TimeSpan limit, TimeProvider? clock = null, CancellationToken cancellationToken = default)
{
    /// <summary>The time an item may take.</summary>
    public TimeSpan Limit { get; } = limit >= TimeSpan.Zero ? limit : throw new ArgumentOutOfRangeException(nameof(limit), limit, "must not be negative");

    /// <summary>Stops the parse when cancelled (the call that asked for it is gone).</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>
    /// Starts the clock and puts the budget in force for the parsing done on this thread until the scope is disposed.
    /// Scopes nest: the inner one is in force until it ends.
    /// </summary>
    public IDisposable Enter() => BudgetClock.Enter(this, clock ?? TimeProvider.System);
}

/// <summary>The parse of one item ran longer than its <see cref="ParseBudget.Limit"/>.</summary>
public sealed class ParseBudgetExceededException : Exception
{
    public ParseBudgetExceededException()
        : this(TimeSpan.Zero)
    {
    }

    public ParseBudgetExceededException(string message)
        : base(message)
    {
    }

    public ParseBudgetExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ParseBudgetExceededException(TimeSpan limit)
        : base($"the parse ran over its budget of {limit.TotalMilliseconds:0.###} ms")
    {
        Limit = limit;
    }

    /// <summary>The budget that was spent.</summary>
    public TimeSpan Limit { get; }
}
