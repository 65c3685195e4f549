using System.Security.Claims;

namespace CableService.Security;

/// <summary>Values of a list-valued claim, which issuers send as one space-separated string or as one claim per value.</summary>
public static class ClaimValues
{
    private static readonly char[] s_separators = [' ', ',', '\t'];

    public static IReadOnlyList<string> Split(string? values) =>
        string.IsNullOrWhiteSpace(values) ? [] : values.Split(s_separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Every value of every <paramref name="claimType"/> claim of <paramref name="user"/>.</summary>
    public static IEnumerable<string> Of(ClaimsPrincipal user, string claimType) =>
        user.FindAll(claimType).SelectMany(claim => Split(claim.Value));
}
