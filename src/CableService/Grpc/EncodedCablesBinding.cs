using CableService.Errors;
using Cables.Api.V1.Server;
using Google.Protobuf;
using Grpc.Core;

namespace CableService.Grpc;

/// <summary>
/// Binds <c>cables.v1.CableArchive</c> as the generated code does, except that <c>StreamCables</c> answers with
/// <see cref="EncodedStreamCablesResponse"/> and <c>WatchCables</c> with <see cref="EncodedWatchCablesResponse"/>:
/// cables the store encoded go out as they are, not decoded and encoded again. The wire is the same, so clients use the generated stubs. Every request goes through a guard that answers an
/// unreadable message with INVALID_ARGUMENT. A service opts in with
/// <c>[BindServiceMethod(typeof(EncodedCablesBinding), nameof(EncodedCablesBinding.BindService))]</c> and overrides the
/// encoded <c>StreamCables</c> and <c>WatchCables</c> overloads.
/// </summary>
public static class EncodedCablesBinding
{
    private static readonly Marshaller<EncodedStreamCablesResponse> s_stream = Encoded(EncodedStreamCablesResponse.Parser);
    private static readonly Marshaller<EncodedWatchCablesResponse> s_watch = Encoded(EncodedWatchCablesResponse.Parser);

    /// <summary>Read by gRPC reflection from the type that declares the bind method.</summary>
    public static Google.Protobuf.Reflection.ServiceDescriptor Descriptor => Api.CableArchive.Descriptor;

    public static void BindService(ServiceBinderBase serviceBinder, Api.CableArchive.CableArchiveBase? service) =>
        Api.CableArchive.BindService(new Binder(serviceBinder, service), service!); // null while gRPC only discovers the methods

    /// <summary>
    /// A request the generated parser cannot read (bad wire format, a string that is not UTF-8) is INVALID_ARGUMENT
    /// naming the message, where it would otherwise end the call as UNKNOWN.
    /// </summary>
    private static Marshaller<T> ReadOrRefuse<T>(Marshaller<T> inner) => Marshallers.Create<T>(
        inner.ContextualSerializer,
        context =>
        {
            try
            {
                return inner.ContextualDeserializer(context);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw RpcErrors.InvalidArgument(typeof(T).Name, $"not a valid {typeof(T).Name} message: {e.Message}");
            }
        });

    private static Marshaller<T> Encoded<T>(MessageParser<T> parser)
        where T : IMessage<T> => Marshallers.Create<T>(
        (message, context) =>
        {
            context.SetPayloadLength(message.CalculateSize());
            message.WriteTo(context.GetBufferWriter());
            context.Complete();
        },
        context => parser.ParseFrom(context.PayloadAsReadOnlySequence()));

    private static Method<TRequest, TResponse> Guarded<TRequest, TResponse>(Method<TRequest, TResponse> method) =>
        new(method.Type, method.ServiceName, method.Name, ReadOrRefuse(method.RequestMarshaller), method.ResponseMarshaller);

    /// <summary>Passes every method through with guarded requests, and the two streams of stored cables with their encoded response types.</summary>
    private sealed class Binder(ServiceBinderBase inner, Api.CableArchive.CableArchiveBase? service) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(Guarded(method), handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(Guarded(method), handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(Guarded(method), handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            switch (method)
            {
                case Method<Api.StreamCablesRequest, Api.StreamCablesResponse> stream:
                    inner.AddMethod(
                        new Method<Api.StreamCablesRequest, EncodedStreamCablesResponse>(stream.Type, stream.ServiceName, stream.Name, ReadOrRefuse(stream.RequestMarshaller), s_stream),
                        service is null ? null : service.StreamCables);
                    break;
                case Method<Api.WatchCablesRequest, Api.WatchCablesResponse> watch:
                    inner.AddMethod(
                        new Method<Api.WatchCablesRequest, EncodedWatchCablesResponse>(watch.Type, watch.ServiceName, watch.Name, ReadOrRefuse(watch.RequestMarshaller), s_watch),
                        service is null ? null : service.WatchCables);
                    break;
                default:
                    inner.AddMethod(Guarded(method), handler);
                    break;
            }
        }
    }
}
