using System.CommandLine;

namespace Cables.Cli.Tests;

/// <summary>Runs cablectl in-process, as the shell would, capturing what it prints.</summary>
internal static class CommandRunner
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string[] args, CablesConnector? connect = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await Program.CreateRootCommand(connect).Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }

    public static List<JsonElement> JsonLines(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement)];

    public static string? Text(this JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.GetString() : null;

    public static string[] Strings(this JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? [.. value.EnumerateArray().Select(v => v.GetString()!)] : [];
}
