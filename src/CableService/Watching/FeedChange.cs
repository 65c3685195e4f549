using Cables.Api.V1.Server;
using Cables.Storage;
using Google.Protobuf;

namespace CableService.Watching;

/// <summary>
/// A logged change as watchers share it: read once by the feed (or by a watcher catching up), matched by every
/// watcher, and decoded at most once, by the first watcher that delivers it. The feed reads the fields alone and
/// attaches the cable only to changes some watcher matched, before any watcher takes one.
/// </summary>
public sealed class FeedChange(CableChange change)
{
    private EncodedCable? _stored = change.Cable;
    private Api.Cable? _cable;
    private EncodedWatchCablesResponse? _encoded;

    public CableChange Change { get; } = change;

    public ChangePosition Position => Change.Position;

    /// <summary>Whether the cable is here: read with the change, or attached since.</summary>
    public bool HasCable => _stored is not null;

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

    /// <summary>Gives a change read without its cable the cable, read since by reference id.</summary>
    internal void Attach(EncodedCable cable) => _stored = cable;

    private EncodedCable Stored => _stored ?? throw new InvalidOperationException($"the change of {Change.ReferenceId} was read without its cable");

    private static Api.ChangeKind KindOf(ChangeKind kind) => kind == ChangeKind.Revised ? Api.ChangeKind.Revised : Api.ChangeKind.Created;
}
