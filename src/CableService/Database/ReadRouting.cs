using Cables.Storage;
using Grpc.Core;

namespace CableService.Database;

/// <summary>
/// Which store a read RPC uses: the read data source's, unless the call carries <see cref="Header"/> <c>: primary</c>,
/// for a caller that must see its own writes before a standby has replayed them.
/// </summary>
public static class ReadRouting
{
    public const string Header = "cables-read-from";
    public const string Primary = "primary";

    public static CableStore For(this CableStores stores, ServerCallContext context) =>
        string.Equals(context.RequestHeaders.GetValue(Header), Primary, StringComparison.OrdinalIgnoreCase)
            ? stores.Primary
            : stores.Reads;
}
