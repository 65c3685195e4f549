namespace CableService.Database;

/// <summary>Which database the service uses (configuration section <c>Cables</c>).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Cables";

    /// <summary>Apply pending migrations before serving; off where migrations are a deployment step of their own.</summary>
    public bool MigrateOnStart { get; set; } = true;
}
