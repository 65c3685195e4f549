using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Cables.Cli.Commands;

/// <summary>
/// <c>cablectl dev-token</c>: signs a JWT with a local development key (ES256), created on first use, for a service told
/// to trust that key's public half (<c>Cables:Auth:SigningKeyFiles</c>). For development and tests only: a real
/// deployment trusts its identity provider's keys.
/// </summary>
public static class DevTokenCommand
{
    public const string DefaultIssuer = "cablectl-dev";
    public const string DefaultAudience = "cables";

    public static string DefaultKeyFile =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.Create), "cablectl", "dev-signing-key.pem");

    public static Command Create()
    {
        var clearance = new Option<string>("--clearance") { Description = "unclassified, fouo, confidential, secret or top_secret", DefaultValueFactory = _ => "unclassified" };
        var controls = new Option<string[]>("--controls") { Description = "Dissemination controls held (noforn, nodis, exdis, orcon…)", AllowMultipleArgumentsPerToken = true };
        var scopes = new Option<string[]>("--scope") { Description = "cables.read, cables.ingest (repeatable)", AllowMultipleArgumentsPerToken = true };
        var subject = new Option<string>("--subject") { Description = "The caller's name (sub)", DefaultValueFactory = _ => Environment.UserName };
        var issuer = new Option<string>("--issuer") { Description = "iss; the service's Cables:Auth:Issuer", DefaultValueFactory = _ => DefaultIssuer };
        var audience = new Option<string>("--audience") { Description = "aud; the service's Cables:Auth:Audience", DefaultValueFactory = _ => DefaultAudience };
        var lifetime = new Option<TimeSpan>("--lifetime") { Description = "How long the token is valid", DefaultValueFactory = _ => TimeSpan.FromHours(8) };
        var keyFile = new Option<string>("--signing-key") { Description = "Private key (PEM), created when missing; its public half is written beside it as .pub.pem", DefaultValueFactory = _ => DefaultKeyFile };
        var command = new Command("dev-token", "Sign a development token with a local key the service can be told to trust")
        {
            clearance, controls, scopes, subject, issuer, audience, lifetime, keyFile,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var path = result.GetRequiredValue(keyFile);
            using var key = LoadOrCreate(path, out var created);
            if (created)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync(
                    $"cablectl dev-token: created {path}; trust it with --Cables:Auth:SigningKeyFiles:0={PublicKeyPath(path)}");
            }

            var now = DateTimeOffset.UtcNow;
            var claims = new Dictionary<string, object>
            {
                ["iss"] = result.GetRequiredValue(issuer),
                ["aud"] = result.GetRequiredValue(audience),
                ["sub"] = result.GetRequiredValue(subject),
                ["iat"] = now.ToUnixTimeSeconds(),
                ["nbf"] = now.ToUnixTimeSeconds(),
                ["exp"] = now.Add(result.GetRequiredValue(lifetime)).ToUnixTimeSeconds(),
                ["scope"] = string.Join(' ', (result.GetValue(scopes) ?? []).SelectMany(Split)),
                ["clearance"] = result.GetRequiredValue(clearance).ToLowerInvariant(),
                ["controls"] = string.Join(' ', (result.GetValue(controls) ?? []).SelectMany(Split).Select(c => c.ToUpperInvariant())),
            };
            await result.InvocationConfiguration.Output.WriteLineAsync(Sign(claims, key));
            return 0;
        });
        return command;
    }

    /// <summary>A compact JWS (ES256) of <paramref name="claims"/>.</summary>
    public static string Sign(IReadOnlyDictionary<string, object> claims, ECDsa key)
    {
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "ES256", ["typ"] = "JWT" }));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signed = $"{header}.{payload}";
        // JWS wants r||s (IEEE P1363), .NET's default for ECDsa.SignData.
        var signature = key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{signed}.{Base64Url(signature)}";
    }

    public static string PublicKeyPath(string privateKeyPath) => Path.ChangeExtension(privateKeyPath, ".pub.pem");

    /// <summary>The key at <paramref name="path"/>, or a new P-256 key written there (owner-only) with its public half beside it.</summary>
    public static ECDsa LoadOrCreate(string path, out bool created)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        created = !File.Exists(path);
        if (!created)
        {
            key.ImportFromPem(File.ReadAllText(path));
            return key;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, "");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(PublicKeyPath(path), key.ExportSubjectPublicKeyInfoPem());
        return key;
    }

    private static IEnumerable<string> Split(string values) =>
        values.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
