namespace Cables.Storage;

/// <summary>
/// The two stores a host serves from. <see cref="Primary"/> takes every write, and the reads that must see them;
/// <see cref="Reads"/> serves the other reads from the read data source (a standby, or several, or the primary itself
/// when none is configured). Keyset tokens name a row, not a server, so a token from one resumes on the other.
/// </summary>
public sealed class CableStores(CableStore primary, CableStore reads)
{
    public CableStore Primary { get; } = primary;

    public CableStore Reads { get; } = reads;
}
