using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CableService.Grpc;

/// <summary>
/// An interceptor that does the same around every streaming call, server-streaming or duplex: the two handlers differ
/// only in how they call on, so both go through <see cref="AroundStream"/>.
/// </summary>
public abstract class StreamingInterceptor : Interceptor
{
    public sealed override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        AroundStream(request, responseStream, context, writer => continuation(request, writer, context));

    public sealed override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        AroundStream(null, responseStream, context, writer => continuation(requestStream, writer, context));

    /// <summary>
    /// Runs one streaming call: <paramref name="call"/> is the rest of the pipeline, writing its responses to the writer
    /// it is given. <paramref name="request"/> is the request of a server-streaming call, null for a duplex one.
    /// </summary>
    protected abstract Task AroundStream<TResponse>(
        object? request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        Func<IServerStreamWriter<TResponse>, Task> call)
        where TResponse : class;
}
