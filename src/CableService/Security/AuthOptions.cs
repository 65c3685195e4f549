namespace CableService.Security;

/// <summary>How callers authenticate: not at all, or with JWT bearer tokens.</summary>
public enum AuthMode
{
    /// <summary>Every caller sees everything. Explicit, it allows any bind; left unset, the service serves loopback only.</summary>
    None,

    /// <summary>JWT bearer tokens, checked against an authority's metadata or static public keys.</summary>
    Jwt,
}

/// <summary>Authentication, scopes and clearance (configuration section <c>Cables:Auth</c>).</summary>
public sealed class AuthOptions
{
    public const string Section = "Cables:Auth";

    /// <summary>
    /// <see cref="AuthMode.Jwt"/> or <see cref="AuthMode.None"/>. Unset (null): no authentication, and only loopback
    /// addresses may be bound, so an open service is never reachable from another machine by accident.
    /// </summary>
    public AuthMode? Mode { get; set; }

    /// <summary>The <c>iss</c> every token must carry.</summary>
    public string Issuer { get; set; } = "";

    /// <summary>The <c>aud</c> every token must carry.</summary>
    public string Audience { get; set; } = "";

    /// <summary>An OpenID Connect authority whose metadata document lists the signing keys (online deployments).</summary>
    public string Authority { get; set; } = "";

    /// <summary>Static signing keys, each a PEM public key (RSA or EC), for deployments without an authority.</summary>
    public List<string> SigningKeys { get; set; } = [];

    /// <summary>Files holding one PEM public key each (a mounted Secret), added to <see cref="SigningKeys"/>.</summary>
    public List<string> SigningKeyFiles { get; set; } = [];

    /// <summary>Tolerated clock difference on <c>exp</c> and <c>nbf</c>.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The claim listing the caller's scopes (space-separated, or one claim per scope).</summary>
    public string ScopeClaim { get; set; } = "scope";

    /// <summary>The claim naming the caller's clearance: <c>unclassified</c>, <c>confidential</c>, <c>secret</c>, <c>top_secret</c>.</summary>
    public string ClearanceClaim { get; set; } = "clearance";

    /// <summary>The claim listing the dissemination controls the caller holds (space-separated, or one claim per control).</summary>
    public string ControlsClaim { get; set; } = "controls";

    /// <summary>
    /// The dissemination controls that restrict, separated by spaces or commas: a cable carrying one is hidden from a
    /// caller who does not hold it. Other markings (SIPDIS, SENSITIVE…) never hide a cable.
    /// </summary>
    public string RestrictingControls { get; set; } = "NOFORN NODIS EXDIS LIMDIS STADIS ORCON PROPIN NOCONTRACT";

    /// <summary><see cref="RestrictingControls"/> as a list.</summary>
    public IReadOnlyList<string> RestrictingControlList => ClaimValues.Split(RestrictingControls);

    /// <summary>
    /// Ingest needs clearance for the whole archive (top secret and every restricting control): a writer below it has
    /// every item REJECTED <c>ABOVE_CLEARANCE</c>, so no answer depends on what is stored. Off, a writer may ingest
    /// cables at or under its clearance, and learns that an id is held by a cable above it (docs/decisions/0007).
    /// </summary>
    public bool IngestRequiresFullClearance { get; set; } = true;

    /// <summary>
    /// PEM file of the CA that signs client certificates. Set, a TLS endpoint asks for a client certificate and a
    /// certificate chaining to it authenticates its caller as <see cref="Certificates"/> maps it (mutual TLS).
    /// </summary>
    public string ClientCertificateAuthority { get; set; } = "";

    /// <summary>The callers a client certificate stands for, with the claims a token would carry.</summary>
    public List<CertificateIdentity> Certificates { get; set; } = [];

    /// <summary>Server reflection, for authenticated callers; off, it is not served at all.</summary>
    public bool Reflection { get; set; } = true;

    /// <summary>Whether tokens are checked.</summary>
    public bool Enabled => Mode == AuthMode.Jwt;
}

/// <summary>
/// One client certificate, by <see cref="Thumbprint"/> (SHA-1, hex) or by <see cref="Subject"/> (the full subject, or
/// its CN), and what it may do: the same scopes, clearance and controls a token would carry.
/// </summary>
public sealed class CertificateIdentity
{
    public string Thumbprint { get; set; } = "";

    public string Subject { get; set; } = "";

    /// <summary>The caller's name in the audit (<c>sub</c>).</summary>
    public string Name { get; set; } = "";

    /// <summary>Space-separated scopes.</summary>
    public string Scope { get; set; } = "";

    public string Clearance { get; set; } = "";

    /// <summary>Space-separated dissemination controls.</summary>
    public string Controls { get; set; } = "";
}
