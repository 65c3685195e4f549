using System.CommandLine;

namespace Cables.Cli.Commands;

/// <summary>
/// The --server option every command that talks to the service shares, and the credentials options the root command
/// carries for all of them (<see cref="CreateCredentials"/>).
/// </summary>
public static class ServerOption
{
    public const string TokenVariable = "CABLES_TOKEN";

    private const string TokenName = "--token";
    private const string CaName = "--ca";
    private const string CertName = "--cert";
    private const string KeyName = "--key";

    public static Option<string?> Create() => new("--server")
    {
        Description = $"Service address (default: ${CablesConnection.ServerVariable}, else {CablesConnection.DefaultServer})",
        HelpName = "URL",
    };

    /// <summary>--token, --ca, --cert and --key, for every subcommand (recursive options of the root command).</summary>
    public static IEnumerable<Option> CreateCredentials() =>
    [
        new Option<string?>(TokenName) { Description = $"Bearer token sent on every call (default: ${TokenVariable})", HelpName = "JWT", Recursive = true },
        new Option<string?>(CaName) { Description = "PEM file of the CA that signed the server's certificate (https://)", HelpName = "FILE", Recursive = true },
        new Option<string?>(CertName) { Description = "PEM file of the client certificate, for mutual TLS", HelpName = "FILE", Recursive = true },
        new Option<string?>(KeyName) { Description = "PEM file of the client certificate's private key", HelpName = "FILE", Recursive = true },
    ];

    /// <summary>The address and credentials to use, or null after printing why they are not usable.</summary>
    public static ServiceAddress? Resolve(ParseResult result, Option<string?> option, string command)
    {
        var server = CablesConnection.ResolveServer(result.GetValue(option));
        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            result.InvocationConfiguration.Error.WriteLine($"cablectl {command}: '{server}' is not an http:// or https:// address");
            return null;
        }

        var token = Value(result, TokenName) ?? (Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null);
        var (ca, cert, key) = (Value(result, CaName), Value(result, CertName), Value(result, KeyName));
        if ((cert is null) != (key is null))
        {
            result.InvocationConfiguration.Error.WriteLine($"cablectl {command}: --cert and --key go together");
            return null;
        }

        foreach (var file in new[] { ca, cert, key }.OfType<string>())
        {
            if (!File.Exists(file))
            {
                result.InvocationConfiguration.Error.WriteLine($"cablectl {command}: {file}: no such file");
                return null;
            }
        }

        return new ServiceAddress(uri, token?.Trim(), ca, cert, key);
    }

    /// <summary>The value of a root option by name; null when not given (or when the command was built without the root's options).</summary>
    private static string? Value(ParseResult result, string name)
    {
        try
        {
            return result.GetValue<string?>(name) is { Length: > 0 } value ? value : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
