namespace Cables.Parsing.Model;

/// <summary>The transmission header above the first blank line (VZCZC…, routing, DE, ZNY, DTG, FM/TO/INFO).</summary>
public sealed record TelegramHeader
{
    public static readonly TelegramHeader Empty = new();

    /// <summary>The VZCZC line's id, e.g. <c>VZCZCXRO6530</c>.</summary>
    public string? TransmissionId { get; init; }

    /// <summary>Precedence of the date-time group line (<c>P</c>, <c>O</c>, <c>R</c>, <c>Z</c>…); the first one where two are given.</summary>
    public string? Precedence { get; init; }

    /// <summary>Second precedence of a dual-precedence DTG (<c>P R 041820Z JAN 10</c> gives <c>R</c>).</summary>
    public string? SecondaryPrecedence { get; init; }

    /// <summary>Routing indicators of the line before DE (<c>PP RUEHFL RUEHKW …</c>).</summary>
    public IReadOnlyList<string> RoutingIndicators { get; init; } = [];

    /// <summary>Originating station routing indicator from the DE line (<c>RUEHBS</c>).</summary>
    public string? OriginatingStation { get; init; }

    /// <summary>Station serial number from the DE line (<c>1390</c>).</summary>
    public string? StationSerialNumber { get; init; }

    /// <summary>Section of a multi-section message from the DE line (<c>01</c>).</summary>
    public string? Section { get; init; }

    /// <summary>Julian date-time of filing from the DE line (<c>2491818</c>).</summary>
    public string? FilingTime { get; init; }

    /// <summary>The ZNY/ZNR line, e.g. <c>ZNY CCCCC ZZH</c>.</summary>
    public string? SecurityLine { get; init; }

    /// <summary>The date-time group as written, e.g. <c>P 051818Z SEP 08</c>.</summary>
    public string? DateTimeGroup { get; init; }

    /// <summary>FM line's plain language address, e.g. <c>AMEMBASSY BRUSSELS</c>.</summary>
    public string? From { get; init; }

    public IReadOnlyList<Recipient> To { get; init; } = [];

    public IReadOnlyList<Recipient> Info { get; init; } = [];

    /// <summary>XMT exclusions: addressees a collective is not sent to.</summary>
    public IReadOnlyList<string> Exclusions { get; init; } = [];
}

/// <summary>One TO or INFO addressee: <c>RUEHC/SECSTATE WASHDC PRIORITY 7971</c>.</summary>
public sealed record Recipient
{
    public string? RoutingIndicator { get; init; }

    public required string Name { get; init; }

    public string? Precedence { get; init; }

    /// <summary>Message continuity number (the serial the addressee keeps), e.g. <c>7971</c>.</summary>
    public string? MessageContinuityNumber { get; init; }

    /// <summary>Addressees excluded from this collective (an XMT list attached to it).</summary>
    public IReadOnlyList<string> Exclusions { get; init; } = [];
}
