using System.Text.Json;
using Cables.Bench.Generate;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace Cables.Bench.Load;

/// <summary>The options run.sh passes, and what follows from them: the manifest, the results folder, a gRPC client.</summary>
public sealed class BenchOptions(Dictionary<string, string> values)
{
    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string Get(string name) =>
        values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required.");

    public string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);

    public int GetInt(string name, int fallback) => values.TryGetValue(name, out var value) ? int.Parse(value) : fallback;

    public string ResultsDirectory => Get("results", "bench/out/results");

    public Manifest LoadManifest() =>
        JsonSerializer.Deserialize<Manifest>(File.ReadAllText(Get("manifest")), Json)
        ?? throw new InvalidOperationException("Empty manifest.");

    public GrpcChannel OpenChannel() =>
        GrpcChannel.ForAddress(Get("server"), new GrpcChannelOptions { MaxReceiveMessageSize = 64 << 20 });

    /// <summary>A client over <paramref name="channel"/> that sends <c>--token</c> as a bearer token on every call, when given.</summary>
    public CableArchiveClient Client(GrpcChannel channel) => new(Invoker(channel));

    /// <summary>The channel's invoker, sending <c>--token</c> as a bearer token on every call when given.</summary>
    public Grpc.Core.CallInvoker Invoker(GrpcChannel channel) =>
        values.TryGetValue("token", out var token)
            ? channel.Intercept(metadata =>
            {
                metadata.Add("authorization", "Bearer " + token);
                return metadata;
            })
            : channel.CreateCallInvoker();

    /// <summary>
    /// The name a step's result is written under: <paramref name="step"/> with <c>--suffix</c> appended, so one step run
    /// twice (without and with authentication) keeps both.
    /// </summary>
    public string ResultName(string step) => step + Get("suffix", "");

    public async Task WriteResultAsync<T>(string name, T result, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(ResultsDirectory);
        await using var file = File.Create(Path.Combine(ResultsDirectory, name + ".json"));
        await JsonSerializer.SerializeAsync(file, result, Json, cancellationToken);
    }

    public T? ReadResult<T>(string name)
        where T : class
    {
        var path = Path.Combine(ResultsDirectory, name + ".json");
        return File.Exists(path) ? JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json) : null;
    }
}
