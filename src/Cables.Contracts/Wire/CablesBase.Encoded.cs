using Grpc.Core;

namespace Cables.Api.V1;

public static partial class Cables
{
    public abstract partial class CablesBase
    {
        /// <summary>
        /// <c>StreamCables</c> as <see cref="Wire.EncodedCablesBinding"/> binds it: responses whose cables are already
        /// encoded. A service bound that way overrides this one, not the generated overload.
        /// </summary>
        public virtual Task StreamCables(
            StreamCablesRequest request, IServerStreamWriter<Wire.EncodedStreamCablesResponse> responseStream, ServerCallContext context) =>
            throw new RpcException(new Status(StatusCode.Unimplemented, ""));
    }
}
