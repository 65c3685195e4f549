using Grpc.Core;
using Grpc.Core.Interceptors;
using Npgsql;

namespace CableService.Errors;

/// <summary>Reports a database that cannot be reached as UNAVAILABLE (retryable) rather than UNKNOWN.</summary>
public sealed class DatabaseErrorInterceptor(ILogger<DatabaseErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (NpgsqlException e) when (IsUnavailable(e, context))
        {
            throw Unavailable(e, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (NpgsqlException e) when (IsUnavailable(e, context))
        {
            throw Unavailable(e, context);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (NpgsqlException e) when (IsUnavailable(e, context))
        {
            throw Unavailable(e, context);
        }
    }

    // A PostgresException is the server answering (a bug or bad data, not an outage); a cancelled call is just that.
    private static bool IsUnavailable(NpgsqlException e, ServerCallContext context) =>
        e is not PostgresException && !context.CancellationToken.IsCancellationRequested;

    private RpcException Unavailable(NpgsqlException e, ServerCallContext context)
    {
        logger.LogError(e, "Database unavailable during {Method}", context.Method);
        return RpcErrors.Unavailable("DATABASE_UNAVAILABLE", "the database cannot be reached; retry later");
    }
}
