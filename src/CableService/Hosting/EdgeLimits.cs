using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CableService.Hosting;

/// <summary>The connection-level limits of <see cref="GrpcOptions"/>, as Kestrel enforces them.</summary>
public static class EdgeLimits
{
    public static bool AreValid(GrpcOptions o) =>
        o.StreamIdleTimeout > TimeSpan.Zero && o.KeepAlivePingDelay > TimeSpan.Zero && o.KeepAlivePingTimeout > TimeSpan.Zero
        && o.MinRequestBodyDataRate > 0 && o.MinRequestBodyDataRateGracePeriod > TimeSpan.FromSeconds(1)
        && o.MaxStreamsPerConnection > 0 && o.MaxConnections > 0 && o.MaxStreamsPerCaller >= 0;

    public static void Apply(KestrelServerLimits limits, GrpcOptions options)
    {
        limits.Http2.KeepAlivePingDelay = options.KeepAlivePingDelay;
        limits.Http2.KeepAlivePingTimeout = options.KeepAlivePingTimeout;
        limits.Http2.MaxStreamsPerConnection = options.MaxStreamsPerConnection;
        limits.MaxConcurrentConnections = options.MaxConnections;
        limits.MinRequestBodyDataRate = new MinDataRate(options.MinRequestBodyDataRate, options.MinRequestBodyDataRateGracePeriod);
    }
}
