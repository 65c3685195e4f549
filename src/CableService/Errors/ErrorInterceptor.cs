using Grpc.Core;
using Grpc.Core.Interceptors;
using Npgsql;

namespace CableService.Errors;

/// <summary>
/// Every failure leaves a call as a canonical status with <c>google.rpc</c> details, never UNKNOWN: a database that
/// cannot serve now (Npgsql's <see cref="NpgsqlException.IsTransient"/>) is UNAVAILABLE with <c>RetryInfo</c>, a
/// full-text query PostgreSQL cannot plan is INVALID_ARGUMENT, anything else INTERNAL, logged with its exception.
/// </summary>
public sealed class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (ShouldMap(e, context))
        {
            throw Map(e, context);
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
        catch (Exception e) when (ShouldMap(e, context))
        {
            throw Map(e, context);
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
        catch (Exception e) when (ShouldMap(e, context))
        {
            throw Map(e, context);
        }
    }

    private static T? FindInner<T>(Exception e)
        where T : Exception
    {
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is T found)
            {
                return found;
            }
        }

        return null;
    }

    // A status chosen by the handler stands; a call the client cancelled or whose deadline passed is that, not a failure.
    private static bool ShouldMap(Exception e, ServerCallContext context) =>
        e is not RpcException && !(e is OperationCanceledException or NpgsqlException && context.CancellationToken.IsCancellationRequested);

    private RpcException Map(Exception e, ServerCallContext context)
    {
        // A database error can reach here wrapped (a pool or EF Core failure around it): the innermost one names the cause.
        if (e is not NpgsqlException && FindInner<NpgsqlException>(e) is { } database)
        {
            e = database;
        }

        switch (e)
        {
            case PostgresException { SqlState: PostgresErrorCodes.TooManyConnections }:
                logger.LogWarning(e, "The database has no connection slot left during {Method}", context.Method);
                return RpcErrors.Unavailable("DATABASE_CONNECTIONS_EXHAUSTED", "the database has no connection left for the service; retry later", TimeSpan.FromSeconds(1));
            case PostgresException { SqlState: PostgresErrorCodes.InternalError or PostgresErrorCodes.StatementTooComplex } p
                when p.MessageText.Contains("tsquery", StringComparison.OrdinalIgnoreCase):
                return RpcErrors.InvalidArgument("filter.text", "the full-text query is too complex to run; use fewer operators");
            case NpgsqlException { IsTransient: true } or NpgsqlException and not PostgresException:
                logger.LogWarning(e, "Database unavailable during {Method}", context.Method);
                return RpcErrors.Unavailable("DATABASE_UNAVAILABLE", "the database cannot serve the call now; retry later", TimeSpan.FromSeconds(1));
            default:
                logger.LogError(e, "Unexpected failure in {Method}", context.Method);
                return RpcErrors.Internal();
        }
    }
}
