using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cables.Cli.Tests.Fakes;

/// <summary>
/// A real gRPC endpoint (HTTP/2 on a loopback port) serving an in-memory, idempotent store, for tests that run
/// cablectl as its own process: CREATED once, UNCHANGED after, REJECTED for text containing "GARBAGE"; answers
/// are paced so a job lasts long enough to be interrupted, or held back altogether.
/// </summary>
public sealed class FakeCablesServer : V1.CableArchive.CableArchiveBase, IAsyncDisposable
{
    private WebApplication? _app;
    private long _received;
    private long _streamed;

    /// <summary>Client item id to how many requests for it were committed.</summary>
    public ConcurrentDictionary<string, int> Commits { get; } = new(StringComparer.Ordinal);

    /// <summary>Requests received on every stream so far.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Cables sent by StreamCables so far.</summary>
    public long Streamed => Interlocked.Read(ref _streamed);

    /// <summary>A pause after every 8 answers: about 800 answers a second.</summary>
    public TimeSpan AnswerPause { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Never answer an ingest: the client waits with everything in flight.</summary>
    public bool Hold { get; set; }

    public Uri Address { get; private set; } = null!;

    public static async Task<FakeCablesServer> StartAsync()
    {
        var server = new FakeCablesServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(server);
        server._app = builder.Build();
        server._app.MapGrpcService<FakeCablesServer>();
        await server._app.StartAsync();
        var addresses = server._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
        server.Address = new Uri(addresses.Addresses.First());
        return server;
    }

    /// <summary>Waits until the service has received more than <paramref name="count"/> requests in all.</summary>
    public Task WaitForRequestsAsync(long count, TimeSpan timeout) => Poll.UntilAsync(() => Received > count, timeout, $"more than {count} requests");

    public override async Task IngestCables(IAsyncStreamReader<V1.IngestCableRequest> requestStream, IServerStreamWriter<V1.IngestCableResponse> responseStream, ServerCallContext context)
    {
        var answered = 0;
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            Interlocked.Increment(ref _received);
            if (Hold)
            {
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            }

            var response = Commit(request);
            if (++answered % 8 == 0)
            {
                await Task.Delay(AnswerPause, context.CancellationToken);
            }

            await responseStream.WriteAsync(response, context.CancellationToken);
        }
    }

    /// <summary>Streams made-up cables, one every 20 ms, until the client goes away.</summary>
    public override async Task StreamCables(V1.StreamCablesRequest request, IServerStreamWriter<V1.StreamCablesResponse> responseStream, ServerCallContext context)
    {
        for (var i = 1; ; i++)
        {
            var cable = new V1.Cable { ReferenceId = $"10TEST{i}" };
            await responseStream.WriteAsync(new V1.StreamCablesResponse { Cable = cable, ResumeToken = i.ToString(CultureInfo.InvariantCulture) }, context.CancellationToken);
            Interlocked.Increment(ref _streamed);
            await Task.Delay(20, context.CancellationToken);
        }
    }

    private V1.IngestCableResponse Commit(V1.IngestCableRequest request) => FakeCommits.Answer(Commits, request, "GARBAGE");

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await _app.StopAsync(grace.Token);
            await _app.DisposeAsync();
        }
    }
}
