namespace CableService.Watching;

/// <summary>The live feed of changes, WatchCables (configuration section <c>Cables:Watch</c>).</summary>
public sealed class WatchOptions
{
    public const string Section = "Cables:Watch";

    /// <summary>How long logged changes are kept: a position older than this answers FAILED_PRECONDITION (POSITION_EXPIRED).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often this instance prunes the change log (one replica prunes at a time).</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A watcher sent nothing for this long gets a heartbeat carrying its position.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the feed looks at the log without a notification (a lost LISTEN connection, writers that do not notify).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Recent changes the feed holds in memory for its watchers (from the oldest one a watcher has not taken to the newest
    /// read); a watcher further behind reads the log in chunks instead until it catches up.
    /// </summary>
    public int MaxQueuedChanges { get; set; } = 20_000;

    /// <summary>Changes per read of the log (the feed's, and a watcher's that is behind).</summary>
    public int ReadChunkSize { get; set; } = 500;

    /// <summary>Why the options cannot be used, or null when they can.</summary>
    public string? Problem() =>
        Retention <= TimeSpan.Zero ? $"{Section}:{nameof(Retention)} must be positive"
        : PruneInterval <= TimeSpan.Zero ? $"{Section}:{nameof(PruneInterval)} must be positive"
        : HeartbeatInterval < TimeSpan.FromMilliseconds(100) ? $"{Section}:{nameof(HeartbeatInterval)} must be at least 100 ms"
        : PollInterval < TimeSpan.FromMilliseconds(10) ? $"{Section}:{nameof(PollInterval)} must be at least 10 ms"
        : MaxQueuedChanges < 1 ? $"{Section}:{nameof(MaxQueuedChanges)} must be at least 1"
        : ReadChunkSize is < 1 or > 10_000 ? $"{Section}:{nameof(ReadChunkSize)} must be between 1 and 10000"
        : null;
}
