using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using CableService.Errors;
using Grpc.Net.Client;

namespace CableService.Tests.Limits;

/// <summary>
/// The limits at the edge (<c>Cables:Grpc</c>), each hit over real Kestrel: idle and half-sent streams, slow unary
/// bodies, streams per connection and per caller, connections.
/// </summary>
public sealed class EdgeLimitsTests
{

    [Fact]
    public async Task A_silent_ingest_stream_ends_deadline_exceeded_after_its_items_are_answered()
    {
        await using var limited = await LimitedHost.StartAsync(new Dictionary<string, string?> { ["Cables:Grpc:StreamIdleTimeout"] = "00:00:01" });
        using var call = limited.Host.Client.IngestCables();
        await call.RequestStream.WriteAsync(Ingestion.Identified(Corpus.Sample(1000)[0]));
        var clock = Stopwatch.StartNew();

        Assert.True(await call.ResponseStream.MoveNext());
        Assert.True(call.ResponseStream.Current.Outcome == Api.IngestOutcome.Created, call.ResponseStream.Current.Details);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Equal(IngestPipeline.StreamIdle, error.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(15));
        Assert.Equal(1, await limited.Database.ScalarAsync("SELECT count(*) FROM cables"));
    }

    [Fact]
    public async Task A_stream_that_keeps_sending_is_not_idle()
    {
        await using var limited = await LimitedHost.StartAsync(new Dictionary<string, string?> { ["Cables:Grpc:StreamIdleTimeout"] = "00:00:01" });
        using var call = limited.Host.Client.IngestCables();
        var cables = Corpus.Sample(700).Take(6).ToList();
        foreach (var cable in cables)
        {
            await call.RequestStream.WriteAsync(Ingestion.Identified(cable));
            await Task.Delay(400); // 2.4 s in all: over the timeout, never for one wait
        }

        await call.RequestStream.CompleteAsync();
        var answered = 0;
        await foreach (var response in call.ResponseStream.ReadAllAsync())
        {
            Assert.True(response.Outcome == Api.IngestOutcome.Created, $"{response.Outcome} {response.Reason}: {response.Details}");
            answered++;
        }

        Assert.Equal(cables.Count, answered);
    }

    [Fact]
    public async Task A_half_sent_stream_message_is_dropped_after_the_idle_timeout()
    {
        await using var limited = await LimitedHost.StartAsync(new Dictionary<string, string?> { ["Cables:Grpc:StreamIdleTimeout"] = "00:00:01" });

        var (elapsed, status) = await SendHalfAMessageAsync(limited.Host.Address, "IngestCables");

        Assert.True(elapsed < TimeSpan.FromSeconds(15), $"held {elapsed.TotalSeconds:0.0} s");
        Assert.Equal(((int)StatusCode.DeadlineExceeded).ToString(System.Globalization.CultureInfo.InvariantCulture), status);
    }

    [Fact]
    public async Task A_half_sent_unary_message_is_dropped_by_the_minimum_data_rate()
    {
        await using var limited = await LimitedHost.StartAsync(new Dictionary<string, string?>
        {
            ["Cables:Grpc:MinRequestBodyDataRate"] = "240",
            ["Cables:Grpc:MinRequestBodyDataRateGracePeriod"] = "00:00:02",
        });

        var (elapsed, status) = await SendHalfAMessageAsync(limited.Host.Address, "IngestCable");

        Assert.True(elapsed < TimeSpan.FromSeconds(15), $"held {elapsed.TotalSeconds:0.0} s");
        Assert.NotEqual("0", status);
    }

    [Fact]
    public async Task Streams_over_the_per_connection_limit_wait_for_a_free_one()
    {
        await using var limited = await LimitedHost.StartAsync(new Dictionary<string, string?> { ["Cables:Grpc:MaxStreamsPerConnection"] = "2" });
        using var channel = GrpcChannel.ForAddress(limited.Host.Address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = false },
        });
        var client = new Api.CableArchive.CableArchiveClient(channel);
        await client.CountCablesAsync(new Api.CountCablesRequest()); // the connection, and the server's settings, in place
        using var first = client.IngestCables();
        using var second = client.IngestCables();
        await Task.Delay(TimeSpan.FromSeconds(0.5)); // both streams open at the service (it answers nothing until an item comes)

        var third = client.CountCablesAsync(new Api.CountCablesRequest()).ResponseAsync;
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.False(third.IsCompleted, "a third stream ran on a connection limited to two");

        await first.RequestStream.CompleteAsync();
        await foreach (var _ in first.ResponseStream.ReadAllAsync())
        {
        }

        Assert.Equal(0, (await third.WaitAsync(TimeSpan.FromSeconds(15))).Count);
    }

    [Fact]
    public async Task A_caller_over_its_stream_limit_is_refused_resource_exhausted_until_one_closes()
    {
        await using var limited = await LimitedHost.StartAsync(new Dictionary<string, string?> { ["Cables:Grpc:MaxStreamsPerCaller"] = "2" });
        var client = limited.Host.Client;
        using var first = client.IngestCables();
        using var second = client.IngestCables();
        await Task.Delay(TimeSpan.FromSeconds(0.5)); // both streams open at the service (it answers nothing until an item comes)

        using var third = client.IngestCables();
        var error = await Assert.ThrowsAsync<RpcException>(() => third.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(CallerStreamLimit.Reason, error.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        Assert.NotNull(error.GetRpcStatus()!.GetDetail<RetryInfo>());

        await first.RequestStream.CompleteAsync();
        await foreach (var _ in first.ResponseStream.ReadAllAsync())
        {
        }

        Assert.Empty(await FreedStreamSlot.CallAsync(() => client.StreamAllAsync(new Api.StreamCablesRequest())));
    }

    [Fact]
    public async Task A_connection_over_the_limit_is_refused_unavailable()
    {
        await using var limited = await LimitedHost.StartAsync(new Dictionary<string, string?> { ["Cables:Grpc:MaxConnections"] = "2" });
        using var second = GrpcChannel.ForAddress(limited.Host.Address);
        using var third = GrpcChannel.ForAddress(limited.Host.Address);
        await limited.Host.Client.CountCablesAsync(new Api.CountCablesRequest());
        await new Api.CableArchive.CableArchiveClient(second).CountCablesAsync(new Api.CountCablesRequest());

        var error = await Assert.ThrowsAsync<RpcException>(() => new Api.CableArchive.CableArchiveClient(third).CountCablesAsync(new Api.CountCablesRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    [Fact]
    public async Task A_peer_that_never_answers_ping_is_dropped()
    {
        await using var limited = await LimitedHost.StartAsync(new Dictionary<string, string?>
        {
            ["Cables:Grpc:KeepAlivePingDelay"] = "00:00:01",
            ["Cables:Grpc:KeepAlivePingTimeout"] = "00:00:01",
        });
        using var peer = new TcpClient();
        await peer.ConnectAsync(limited.Host.Address.Host, limited.Host.Address.Port);
        var connection = peer.GetStream();
        // A generous bound: the pings come after a second of quiet, the drop a second or two later.
        using var generous = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        // The client preface and empty SETTINGS, then frames read until the server ends the connection. The server's
        // SETTINGS are acknowledged, as any peer does; its PINGs never are.
        var open = await SendAsync(connection, [.. "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8, .. Http2Frame(FrameSettings, 0)], generous.Token);
        var pings = 0;
        var end = "";
        while (open && end.Length == 0)
        {
            var header = new byte[9];
            if (!await ReceiveAsync(connection, header, generous.Token)
                || !await ReceiveAsync(connection, new byte[(header[0] << 16) | (header[1] << 8) | header[2]], generous.Token))
            {
                break;
            }

            var acknowledgement = (header[4] & 1) != 0;
            switch (header[3])
            {
                case FrameSettings when !acknowledgement:
                    open = await SendAsync(connection, Http2Frame(FrameSettings, 1), generous.Token);
                    break;
                case FramePing when !acknowledgement:
                    pings++;
                    break;
                case FrameGoAway:
                    end = "GOAWAY";
                    break;
            }
        }

        Assert.True(pings > 0, "the server never sent a PING");
        Assert.True(end == "GOAWAY" || await EndedAsync(connection, generous.Token), "the connection was not closed");
    }

    private const byte FrameSettings = 0x4;
    private const byte FramePing = 0x6;
    private const byte FrameGoAway = 0x7;

    /// <summary>An HTTP/2 frame with no payload on stream 0.</summary>
    private static byte[] Http2Frame(byte type, byte flags) => [0, 0, 0, type, flags, 0, 0, 0, 0];

    /// <summary>Writes <paramref name="bytes"/>; false when the server has closed the connection.</summary>
    private static async Task<bool> SendAsync(NetworkStream connection, byte[] bytes, CancellationToken cancellationToken)
    {
        try
        {
            await connection.WriteAsync(bytes, cancellationToken);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Fills <paramref name="buffer"/>; false when the connection ended first (closed or reset by the server).</summary>
    private static async Task<bool> ReceiveAsync(NetworkStream connection, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            await connection.ReadExactlyAsync(buffer, cancellationToken);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Whether the connection has ended: a read returns nothing more (closed) or fails (reset).</summary>
    private static async Task<bool> EndedAsync(NetworkStream connection, CancellationToken cancellationToken) =>
        !await ReceiveAsync(connection, new byte[1], cancellationToken);

    /// <summary>
    /// A raw HTTP/2 call that announces a 1,000-byte message, sends 300 bytes of it and then nothing: how long until the
    /// service let go, and the grpc-status it ended with (or "reset" when it reset the stream).
    /// </summary>
    private static async Task<(TimeSpan Elapsed, string Status)> SendHalfAMessageAsync(Uri address, string method)
    {
        using var http = new HttpClient(new SocketsHttpHandler());
        using var stall = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, $"/{Api.CableArchive.Descriptor.FullName}/{method}"))
        {
            Content = new HalfMessageContent(stall.Token),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token);
            await response.Content.CopyToAsync(Stream.Null, stall.Token);
            var status = response.TrailingHeaders.TryGetValues("grpc-status", out var trailer) ? trailer.First()
                : response.Headers.TryGetValues("grpc-status", out var header) ? header.First()
                : "none";
            return (clock.Elapsed, status);
        }
        catch (HttpRequestException)
        {
            return (clock.Elapsed, "reset");
        }
        catch (IOException)
        {
            return (clock.Elapsed, "reset");
        }
    }

    /// <summary>A gRPC frame header for 1,000 bytes, then 300 of them, then silence until cancelled.</summary>
    private sealed class HalfMessageContent : HttpContent
    {
        private readonly CancellationToken _stall;

        public HalfMessageContent(CancellationToken stall)
        {
            _stall = stall;
            Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            byte[] header = [0, 0, 0, 0x03, 0xE8];
            await stream.WriteAsync(header);
            await stream.WriteAsync(new byte[300]);
            await stream.FlushAsync();
            try
            {
                await Task.Delay(Timeout.Infinite, _stall);
            }
            catch (OperationCanceledException)
            {
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
