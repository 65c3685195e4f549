using CableService.Database;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CableService.Errors;

/// <summary>
/// Read calls enter <see cref="DatabaseAdmission"/>'s read queue before they run, and hold their turn until they end (a
/// stream reads chunk after chunk). Ingest takes its turns per commit, in the ingest processor; other calls pass.
/// </summary>
public sealed class AdmissionInterceptor(DatabaseAdmission admission) : Interceptor
{
    private static readonly HashSet<string> s_reads = new(
        new[] { "GetCable", "CountCables", "ListCables", "StreamCables" }.Select(name => $"/{Cables.Api.V1.CableArchive.Descriptor.FullName}/{name}"),
        StringComparer.Ordinal);

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (!s_reads.Contains(context.Method))
        {
            return await continuation(request, context);
        }

        using var turn = await admission.EnterReadAsync(context.CancellationToken);
        return await continuation(request, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (!s_reads.Contains(context.Method))
        {
            await continuation(request, responseStream, context);
            return;
        }

        using var turn = await admission.EnterReadAsync(context.CancellationToken);
        await continuation(request, responseStream, context);
    }
}
