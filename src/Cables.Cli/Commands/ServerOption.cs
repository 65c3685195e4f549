using System.CommandLine;

namespace Cables.Cli.Commands;

/// <summary>The --server option every command that talks to the service shares.</summary>
public static class ServerOption
{
    public static Option<string?> Create() => new("--server")
    {
        Description = $"Service address (default: ${CablesConnection.ServerVariable}, else {CablesConnection.DefaultServer})",
        HelpName = "URL",
    };

    /// <summary>The address to use, or null after printing why it is not a usable URL.</summary>
    public static Uri? Resolve(ParseResult result, Option<string?> option, string command)
    {
        var server = CablesConnection.ResolveServer(result.GetValue(option));
        if (Uri.TryCreate(server, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        result.InvocationConfiguration.Error.WriteLine($"cablectl {command}: '{server}' is not an http:// or https:// address");
        return null;
    }
}
