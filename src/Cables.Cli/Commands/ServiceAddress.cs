namespace Cables.Cli.Commands;

/// <summary>
/// Where the service is and how to prove who calls it: a bearer token (<c>--token</c>, <c>$CABLES_TOKEN</c>), the CA
/// that signed an https:// server's certificate (<c>--ca</c>), and a client certificate for mutual TLS (<c>--cert</c>, <c>--key</c>).
/// </summary>
public sealed record ServiceAddress(Uri Server, string? Token = null, string? CaFile = null, string? CertFile = null, string? KeyFile = null)
{
    public override string ToString() => Server.ToString();
}
