using Cables.Storage;

namespace CableService.Watching;

/// <summary>
/// A logged change as watchers share it: read once by the feed (or by a watcher catching up), matched by every
/// watcher, and decoded at most once, by the first watcher that delivers it.
/// </summary>
public sealed class FeedChange(CableChange change)
{
    private Api.Cable? _cable;

    public CableChange Change { get; } = change;

    public ChangePosition Position => Change.Position;

    /// <summary>
    /// The cable in the BASIC view, decoded once. Shared by every watcher that sends it: a caller must not change it
    /// (a read mask trims a copy).
    /// </summary>
    public Api.Cable Cable => _cable ??= Api.Cable.Parser.ParseFrom(Change.Cable.Message);
}
