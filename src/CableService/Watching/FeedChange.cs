using Cables.Api.V1.Server;
using Cables.Storage;
using Google.Protobuf;

namespace CableService.Watching;

/// <summary>
/// A logged change with its cable as watchers share it: read once by the feed (or by a watcher catching up), matched by
/// every watcher, and decoded at most once, by the first watcher that delivers it.
/// </summary>
public sealed class FeedChange(ChangedCable changed)
{
    private Api.Cable? _cable;
    private EncodedWatchCablesResponse? _encoded;

    public CableChange Change => changed.Change;

    /// <summary>The cable's filter fields now: a revision since the change may have moved them.</summary>
    public FilterFields Fields => changed.Fields;

    public EncodedCable Stored => changed.Cable;

    public ChangePosition Position => Change.Position;

    /// <summary>
    /// The cable in the BASIC view, decoded once. Shared by every watcher that sends it: a caller must not change it
    /// (a read mask trims a copy).
    /// </summary>
    public Api.Cable Cable => _cable ??= Api.Cable.Parser.ParseFrom(Stored.Message);

    /// <summary>
    /// The response of every watcher that receives this change in the BASIC view, unmasked: the stored cable's bytes as
    /// they are and the position after it, made once. Shared by every writer, so never changed after it is made.
    /// </summary>
    public EncodedWatchCablesResponse Encoded(byte[] key) => _encoded ??= new EncodedWatchCablesResponse
    {
        Kind = (int)KindOf(Change.Kind),
        Cable = UnsafeByteOperations.UnsafeWrap(Stored.Message),
        Position = WatchPosition.Encode(Position, key),
    };

    private static Api.ChangeKind KindOf(ChangeKind kind) => kind == ChangeKind.Revised ? Api.ChangeKind.Revised : Api.ChangeKind.Created;
}
