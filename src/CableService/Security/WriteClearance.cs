using Cables.Parsing.Model;
using Cables.Storage;
using Microsoft.Extensions.Options;

namespace CableService.Security;

/// <summary>
/// Whether a writer may store a cable, decided from the writer and the cable alone, never from what is stored: with
/// <see cref="AuthOptions.IngestRequiresFullClearance"/> only a writer who sees everything writes, so an answer cannot
/// tell a low writer whether an id is held by a cable above it.
/// </summary>
public sealed class WriteClearance(IOptions<AuthOptions> options)
{
    private readonly bool _fullClearanceOnly = options.Value.IngestRequiresFullClearance;

    public bool Allows(CableVisibility writer, ParsedCable cable) =>
        writer.IsUnrestricted || (!_fullClearanceOnly && writer.Allows(cable.Classification.Level, cable.Classification.Caveats));
}
