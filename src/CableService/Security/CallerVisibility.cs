using System.Security.Claims;
using Cables.Parsing.Model;
using Cables.Storage;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace CableService.Security;

/// <summary>
/// The <see cref="CableVisibility"/> of a call, from its token's claims: the clearance claim's level (uncleared, a
/// missing or unknown name, is UNCLASSIFIED) and the controls claim's controls. Without authentication every call
/// sees everything: that mode serves loopback only, or is chosen explicitly.
/// </summary>
public sealed class CallerVisibility(IOptions<AuthOptions> options)
{
    private readonly AuthOptions _options = options.Value;
    private readonly IReadOnlyList<string> _restricting = options.Value.RestrictingControlList;

    public CableVisibility Of(ServerCallContext context) =>
        _options.Enabled ? Of(context.GetHttpContext().User) : CableVisibility.Unrestricted;

    public CableVisibility Of(ClaimsPrincipal user)
    {
        if (!_options.Enabled)
        {
            return CableVisibility.Unrestricted;
        }

        var level = ClassificationLevel.Unclassified;
        foreach (var name in ClaimValues.Of(user, _options.ClearanceClaim))
        {
            if (Clearance.TryParse(name, out var named) && named > level)
            {
                level = named;
            }
        }

        return CableVisibility.For(level, ClaimValues.Of(user, _options.ControlsClaim), _restricting);
    }
}
