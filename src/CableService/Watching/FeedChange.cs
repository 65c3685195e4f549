using Cables.Api.V1.Server;
using Cables.Storage;
using Google.Protobuf;

namespace CableService.Watching;

/// <summary>
/// A logged change as watchers share it: read once by the feed (or by a watcher catching up), matched by every
/// watcher, and decoded at most once, by the first watcher that delivers it.
/// </summary>
public sealed class FeedChange(CableChange change)
{
    private Api.Cable? _cable;
    private EncodedWatchCablesResponse? _encoded;

    public CableChange Change { get; } = change;

    public ChangePosition Position => Change.Position;

    /// <summary>
    /// The cable in the BASIC view, decoded once. Shared by every watcher that sends it: a caller must not change it
    /// (a read mask trims a copy).
    /// </summary>
    public Api.Cable Cable => _cable ??= Api.Cable.Parser.ParseFrom(Change.Cable.Message);

    /// <summary>
    /// The response of every watcher that receives this change in the BASIC view, unmasked: the stored cable's bytes as
    /// they are and the position after it, made once. Shared by every writer, so never changed after it is made.
    /// </summary>
    public EncodedWatchCablesResponse Encoded(byte[] key) => _encoded ??= new EncodedWatchCablesResponse
    {
        Kind = (int)KindOf(Change.Kind),
        Cable = UnsafeByteOperations.UnsafeWrap(Change.Cable.Message),
        Position = WatchPosition.Encode(Position, key),
    };

    private static Api.ChangeKind KindOf(ChangeKind kind) => kind == ChangeKind.Revised ? Api.ChangeKind.Revised : Api.ChangeKind.Created;
}
