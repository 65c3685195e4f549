namespace CableService.Database;

/// <summary>Which database the service uses, and whether it is ready for requests yet.</summary>
public sealed class CableDatabase(string connectionString, EmbeddedPostgres? embedded, bool migrateOnStart)
{
    private volatile bool _ready;

    public string ConnectionString => connectionString;

    /// <summary>The service's own cluster, when no connection string was configured.</summary>
    public EmbeddedPostgres? Embedded => embedded;

    public bool MigrateOnStart => migrateOnStart;

    public bool IsReady => _ready;

    public void MarkReady() => _ready = true;
}
