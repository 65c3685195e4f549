using Cables.Api.V1.Server;
using Google.Protobuf;
using Grpc.Core;
using Api = Cables.Api.V1;

namespace CableService.Grpc;

/// <summary>
/// Binds <c>cables.v1.Cables</c> as the generated code does, except that <c>StreamCables</c> answers with
/// <see cref="EncodedStreamCablesResponse"/>: cables the store encoded go out as they are, not decoded and encoded
/// again. The wire is the same, so clients use the generated stubs. A service opts in with
/// <c>[BindServiceMethod(typeof(EncodedCablesBinding), nameof(EncodedCablesBinding.BindService))]</c> and overrides the
/// encoded <c>StreamCables</c> overload.
/// </summary>
public static class EncodedCablesBinding
{
    private static readonly Marshaller<EncodedStreamCablesResponse> s_marshaller = Marshallers.Create<EncodedStreamCablesResponse>(
        (message, context) =>
        {
            context.SetPayloadLength(message.CalculateSize());
            message.WriteTo(context.GetBufferWriter());
            context.Complete();
        },
        context => EncodedStreamCablesResponse.Parser.ParseFrom(context.PayloadAsReadOnlySequence()));

    /// <summary>Read by gRPC reflection from the type that declares the bind method.</summary>
    public static Google.Protobuf.Reflection.ServiceDescriptor Descriptor => Api.Cables.Descriptor;

    public static void BindService(ServiceBinderBase serviceBinder, Api.Cables.CablesBase? service) =>
        Api.Cables.BindService(new Binder(serviceBinder, service), service!); // null while gRPC only discovers the methods

    /// <summary>Passes every method through, but <c>StreamCables</c> with the encoded response type.</summary>
    private sealed class Binder(ServiceBinderBase inner, Api.Cables.CablesBase? service) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(method, handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(method, handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(method, handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            if (method is not Method<Api.StreamCablesRequest, Api.StreamCablesResponse> stream)
            {
                inner.AddMethod(method, handler);
                return;
            }

            var encoded = new Method<Api.StreamCablesRequest, EncodedStreamCablesResponse>(
                stream.Type, stream.ServiceName, stream.Name, stream.RequestMarshaller, s_marshaller);
            inner.AddMethod(encoded, service is null ? null : service.StreamCables);
        }
    }
}
