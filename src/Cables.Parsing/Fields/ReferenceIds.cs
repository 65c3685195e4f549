namespace Cables.Parsing.Fields;

/// <summary>Reference-id canonicalisation (conformance c14n_* vectors). Stub until parser-fields lands.</summary>
public static class ReferenceIds
{
    public static string Canonicalize(string id) => id.ToUpperInvariant();
}
