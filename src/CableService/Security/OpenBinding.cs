using System.Net;

namespace CableService.Security;

/// <summary>Whether the addresses a host is told to bind reach beyond this machine.</summary>
public static class OpenBinding
{
    /// <summary>The configured addresses that are not loopback (<c>*</c>, <c>+</c>, <c>0.0.0.0</c>, a host name, a routable IP).</summary>
    public static IReadOnlyList<string> NonLoopback(IEnumerable<string> urls) =>
        [.. urls.Where(url => !IsLoopback(url))];

    public static bool IsLoopback(string url)
    {
        string host;
        try
        {
            host = BindingAddress.Parse(url).Host;
        }
        catch (FormatException)
        {
            return false;
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>
    /// The addresses the host will bind, from configuration: <c>urls</c> (--urls, ASPNETCORE_URLS), or the HTTP/HTTPS
    /// ports (ASPNETCORE_HTTP_PORTS, which bind every address) when it is empty, and each <c>Kestrel:Endpoints:*:Url</c>.
    /// </summary>
    public static IReadOnlyList<string> Configured(IConfiguration configuration)
    {
        var urls = new List<string>();
        if (configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } configured)
        {
            urls.AddRange(configured.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        else
        {
            foreach (var (key, scheme) in new[] { (WebHostDefaults.HttpPortsKey, "http"), (WebHostDefaults.HttpsPortsKey, "https") })
            {
                foreach (var port in (configuration[key] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    urls.Add($"{scheme}://*:{port}");
                }
            }
        }

        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (endpoint["Url"] is { Length: > 0 } url)
            {
                urls.Add(url);
            }
        }

        return urls;
    }
}
