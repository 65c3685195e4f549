namespace Cables.Storage;

/// <summary>Placeholder: the store lands with the service issue (#3).</summary>
public sealed class CableStore;
