using Grpc.Core;

namespace Cables.Api.V1;

public static partial class CableArchive
{
    public abstract partial class CableArchiveBase
    {
        /// <summary>
        /// <c>StreamCables</c> with responses whose cables are already encoded, for a service bound so that it sends
        /// them as they are. gRPC binds a method that overrides a virtual of the generated base, so it is declared here.
        /// </summary>
        public virtual Task StreamCables(
            StreamCablesRequest request, IServerStreamWriter<Server.EncodedStreamCablesResponse> responseStream, ServerCallContext context) =>
            throw new RpcException(new Status(StatusCode.Unimplemented, ""));

        /// <summary><c>WatchCables</c> with responses whose cables are already encoded; see the <c>StreamCables</c> overload.</summary>
        public virtual Task WatchCables(
            WatchCablesRequest request, IServerStreamWriter<Server.EncodedWatchCablesResponse> responseStream, ServerCallContext context) =>
            throw new RpcException(new Status(StatusCode.Unimplemented, ""));
    }
}
