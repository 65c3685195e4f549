namespace CableService.Database;

/// <summary>The service's own PostgreSQL cluster, used when no connection string is configured (section <c>Cables:EmbeddedPostgres</c>).</summary>
public sealed class EmbeddedPostgresOptions
{
    public const string Section = "Cables:EmbeddedPostgres";

    /// <summary>Cluster folder; relative paths are under the current directory.</summary>
    public string DataDirectory { get; set; } = Path.Combine(".data", "postgres");

    /// <summary>TCP port on 127.0.0.1 (a fixed port so that other tools can connect too).</summary>
    public int Port { get; set; } = 55432;

    public string Database { get; set; } = "cables";

    // PERF-NOTES.md: the ingest ceilings were measured with these.
    public string SharedBuffers { get; set; } = "2GB";

    public string MaxWalSize { get; set; } = "8GB";

    /// <summary>Folder holding initdb and pg_ctl; found on PATH or under /usr/lib/postgresql/*/bin when empty.</summary>
    public string? BinDirectory { get; set; }

    /// <summary>OS account the server runs as when this process is root (PostgreSQL refuses to run as root).</summary>
    public string RootRunsAs { get; set; } = "postgres";

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database={Database}";
}
