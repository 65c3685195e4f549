using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace Cables.Cli.Commands;

/// <summary>Opens a client to the service at a server address; tests substitute an in-process server or a fake.</summary>
public delegate CablesConnection CablesConnector(ServiceAddress address);

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

    /// <summary>A real channel without credentials.</summary>
    public static CablesConnection Open(Uri server) => Open(new ServiceAddress(server));

    /// <summary>
    /// A real channel. http:// gives HTTP/2 without TLS (h2c), which grpc-dotnet supports directly; https:// gives TLS,
    /// trusting <see cref="ServiceAddress.CaFile"/> when given and presenting the client certificate when given. A token
    /// goes in the <c>authorization</c> header of every call.
    /// </summary>
    public static CablesConnection Open(ServiceAddress address)
    {
        // HTTP/2 pings notice a server that vanished without closing the connection (machine restart, network loss).
        var handler = new SocketsHttpHandler
        {
            KeepAlivePingDelay = TimeSpan.FromSeconds(15),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(15),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            EnableMultipleHttp2Connections = true,
        };
        TlsFiles.Apply(handler, address);
        var channel = GrpcChannel.ForAddress(address.Server, new GrpcChannelOptions
        {
            HttpHandler = handler,
            MaxReceiveMessageSize = 64 * 1024 * 1024, // a FULL view of a long cable exceeds the 4 MB default
            MaxSendMessageSize = null,
        });
        var invoker = address.Token is { } token
            ? channel.Intercept(metadata =>
            {
                metadata.Add("authorization", $"Bearer {token}");
                return metadata;
            })
            : channel.CreateCallInvoker();
        return new CablesConnection(new V1.CableArchive.CableArchiveClient(invoker), channel);
    }

    public void Dispose() => channel?.Dispose();
}
