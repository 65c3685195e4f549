using Grpc.Net.Client;
using V1 = Cables.Api.V1;

namespace Cables.Cli.Commands;

/// <summary>Opens a client to the service at a server address; tests substitute an in-process server or a fake.</summary>
public delegate CablesConnection CablesConnector(Uri server);

/// <summary>A client of the Cables service and the channel it owns.</summary>
public sealed class CablesConnection(V1.CableArchive.CableArchiveClient client, IDisposable? channel = null) : IDisposable
{
    public const string DefaultServer = "http://127.0.0.1:5080";

    public const string ServerVariable = "CABLES_SERVER";

    public V1.CableArchive.CableArchiveClient Client { get; } = client;

    /// <summary>--server wins, then CABLES_SERVER, then the address README's run command listens on.</summary>
    public static string ResolveServer(string? option) =>
        !string.IsNullOrWhiteSpace(option) ? option
        : Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
        : DefaultServer;

    /// <summary>A real channel. http:// gives HTTP/2 without TLS (h2c), which grpc-dotnet supports directly.</summary>
    public static CablesConnection Open(Uri server)
    {
        var channel = GrpcChannel.ForAddress(server, new GrpcChannelOptions
        {
            // HTTP/2 pings notice a server that vanished without closing the connection (machine restart, network loss).
            HttpHandler = new SocketsHttpHandler
            {
                KeepAlivePingDelay = TimeSpan.FromSeconds(15),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(15),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
                EnableMultipleHttp2Connections = true,
            },
            MaxReceiveMessageSize = 64 * 1024 * 1024, // a FULL view of a long cable exceeds the 4 MB default
            MaxSendMessageSize = null,
        });
        return new CablesConnection(new V1.CableArchive.CableArchiveClient(channel), channel);
    }

    public void Dispose() => channel?.Dispose();
}
