using System.Buffers.Binary;
using CableService.Paging;
using Cables.Storage;

namespace CableService.Watching;

/// <summary>
/// The opaque position token of WatchCables: a <see cref="ChangePosition"/>, signed like resume tokens. Wire form:
/// base64url of [kind:1 = 'W'][commit:8][seq:8][mac:16], the MAC an HMAC-SHA256 of the rest under the key all replicas
/// share, so a token is good on any replica and anything else (a resume token too) is refused.
/// </summary>
public static class WatchPosition
{
    private const byte Kind = (byte)'W';
    private const int BodyLength = 1 + 8 + 8;

    public static string Encode(ChangePosition position, ReadOnlySpan<byte> key)
    {
        Span<byte> buffer = stackalloc byte[BodyLength + SignedToken.MacLength];
        buffer[0] = Kind;
        BinaryPrimitives.WriteInt64LittleEndian(buffer[1..], position.Commit);
        BinaryPrimitives.WriteInt64LittleEndian(buffer[9..], position.Seq);
        return SignedToken.Seal(buffer, BodyLength, key);
    }

    /// <summary>False for anything the service did not write under <paramref name="key"/>.</summary>
    public static bool TryDecode(string token, ReadOnlySpan<byte> key, out ChangePosition position)
    {
        position = default;
        Span<byte> buffer = stackalloc byte[BodyLength + SignedToken.MacLength];
        if (!SignedToken.TryOpen(token, key, Kind, BodyLength, buffer, out _))
        {
            return false;
        }

        var commit = BinaryPrimitives.ReadInt64LittleEndian(buffer[1..]);
        var seq = BinaryPrimitives.ReadInt64LittleEndian(buffer[9..]);
        if (commit < 0 || seq < 0)
        {
            return false;
        }

        position = new ChangePosition(commit, seq);
        return true;
    }
}
