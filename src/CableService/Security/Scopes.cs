using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace CableService.Security;

/// <summary>The scopes of the API and the authorization policies that require them.</summary>
public static class Scopes
{
    /// <summary>GetCable, StreamCables, CountCables, ListCables, and every other read.</summary>
    public const string Read = "cables.read";

    /// <summary>IngestCable and IngestCables.</summary>
    public const string Ingest = "cables.ingest";

    /// <summary>The policy of server reflection: any authenticated caller.</summary>
    public const string AuthenticatedPolicy = "authenticated";

    /// <summary>The scope a method of <c>cables.v1.CableArchive</c> needs: ingest for the Ingest* methods, read for any other.</summary>
    public static string For(string methodName) =>
        methodName.StartsWith("Ingest", StringComparison.Ordinal) ? Ingest : Read;
}

/// <summary>The caller's scope claim lists <see cref="Scope"/>.</summary>
public sealed class ScopeRequirement(string scope) : IAuthorizationRequirement
{
    public string Scope { get; } = scope;
}

/// <summary>Checks <see cref="ScopeRequirement"/> against the configured scope claim (<see cref="AuthOptions.ScopeClaim"/>).</summary>
public sealed class ScopeHandler(IOptions<AuthOptions> options) : AuthorizationHandler<ScopeRequirement>
{
    private readonly string _claim = options.Value.ScopeClaim;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (ClaimValues.Of(context.User, _claim).Contains(requirement.Scope, StringComparer.Ordinal))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
