using Google.Protobuf.Reflection;
using Grpc.Core;

namespace Cables.Api.V1.Wire;

/// <summary>
/// Binds <c>cables.v1.Cables</c> as the generated code does, except that <c>StreamCables</c> writes
/// <see cref="EncodedStreamCablesResponse"/>: cables the store keeps encoded go out without being decoded and encoded
/// again. The wire is unchanged, so clients use the generated stubs. A service opts in with
/// <c>[BindServiceMethod(typeof(EncodedCablesBinding), nameof(EncodedCablesBinding.BindService))]</c> and overrides
/// the encoded <see cref="Cables.CablesBase.StreamCables(StreamCablesRequest, IServerStreamWriter{EncodedStreamCablesResponse}, ServerCallContext)"/>.
/// </summary>
public static class EncodedCablesBinding
{
    /// <summary>Read by gRPC reflection from the type that declares the bind method.</summary>
    public static ServiceDescriptor Descriptor => Cables.Descriptor;

    public static void BindService(ServiceBinderBase serviceBinder, Cables.CablesBase? serviceImpl) =>
        Cables.BindService(new EncodedStreamBinder(serviceBinder, serviceImpl), serviceImpl!); // null while gRPC only discovers the methods

    /// <summary>Passes every method through, but <c>StreamCables</c> with the encoded response type.</summary>
    private sealed class EncodedStreamBinder(ServiceBinderBase inner, Cables.CablesBase? service) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(method, handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(method, handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(method, handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            if (method is not Method<StreamCablesRequest, StreamCablesResponse> stream)
            {
                inner.AddMethod(method, handler);
                return;
            }

            var encoded = new Method<StreamCablesRequest, EncodedStreamCablesResponse>(
                stream.Type, stream.ServiceName, stream.Name, stream.RequestMarshaller, EncodedStreamCablesResponse.Marshaller);
            inner.AddMethod(encoded, service is null ? null : service.StreamCables);
        }
    }
}
