namespace CableService.Hosting;

/// <summary>The service's own settings (configuration section <c>Cables</c>; its subsections have classes of their own).</summary>
public sealed class ServiceOptions
{
    public const string Section = "Cables";

    /// <summary>Apply pending migrations before serving; off where migrations are a deployment step of their own.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>
    /// How long a stopping host lets calls finish after open streams were told to end. Keep the orchestrator's grace
    /// period above it (deploy/README.md).
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
