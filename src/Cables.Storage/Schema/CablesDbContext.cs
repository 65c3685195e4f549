using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cables.Storage.Schema;

/// <summary>
/// The storage schema as an EF Core model: it owns the migrations. Writes and streaming reads go through
/// raw SQL on <see cref="Npgsql.NpgsqlDataSource"/> (see <see cref="CableStore"/>); nothing here is change-tracked on a hot path.
/// </summary>
internal sealed class CablesDbContext(DbContextOptions<CablesDbContext> options) : DbContext(options)
{
    /// <summary>GIN pending list per index in kB (default 4 MB): bulk loads merge into the tree in larger, rarer steps.</summary>
    internal const int GinPendingListLimitKb = 32 * 1024;

    /// <summary>The full-text vector of a row of <c>cables</c>: english, subject weighted A, body D.</summary>
    internal const string SearchVectorSql = "setweight(to_tsvector('english'::regconfig, coalesce(subject, '')), 'A') || to_tsvector('english'::regconfig, body)";

    /// <summary>The writing transaction's id as a bigint (the same 64 bits as its <c>xid8</c>).</summary>
    internal const string ChangeXidSql = "(pg_current_xact_id())::text::bigint";

    /// <summary>The sequence commit numbers are drawn from.</summary>
    internal const string CommitNumbersSequence = "cable_commit_numbers";

    public DbSet<CableEntity> Cables => Set<CableEntity>();

    public DbSet<CableCitationEntity> Citations => Set<CableCitationEntity>();

    public DbSet<CableRevisionEntity> Revisions => Set<CableRevisionEntity>();

    public DbSet<CableSearchEntity> Search => Set<CableSearchEntity>();

    public DbSet<CableSearchQueueEntity> SearchQueue => Set<CableSearchQueueEntity>();

    public DbSet<CableChangeEntity> Changes => Set<CableChangeEntity>();

    public DbSet<CableCommitEntity> Commits => Set<CableCommitEntity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<CableEntity>(cable =>
        {
            cable.ToTable("cables");
            cable.HasKey(c => c.ReferenceId);
            cable.Property(c => c.IngestedAt).HasDefaultValueSql("now()");

            cable.HasIndex(c => new { c.Origin, c.Created, c.ReferenceId });
            cable.HasIndex(c => new { c.Created, c.ReferenceId });
            PendingGin(cable.HasIndex(c => c.Tags));
        });

        // The side tables lead with reference_id (co-located with their cable when distributed) but declare no foreign
        // key: the store writes them only beside their cable, and a key would look up and lock the cable for every side
        // row (docs/decisions/0004-side-tables-without-foreign-keys.md). Trigger cables_delete_dependents deletes them
        // with their cable.
        modelBuilder.Entity<CableSearchEntity>(search =>
        {
            search.ToTable("cable_search");
            search.HasKey(s => s.ReferenceId);
            search.Property(s => s.Search).HasColumnType("tsvector");
            PendingGin(search.HasIndex(s => s.Search));
        });

        modelBuilder.Entity<CableSearchQueueEntity>(queued =>
        {
            queued.ToTable("cable_search_queue");
            queued.HasKey(q => q.ReferenceId);
            queued.Property(q => q.QueuedAt).HasDefaultValueSql("now()");
        });

        modelBuilder.Entity<CableCitationEntity>(citation =>
        {
            citation.ToTable("cable_references");
            citation.HasKey(r => new { r.ReferenceId, r.CitedId });
            citation.HasIndex(r => new { r.CitedId, r.ReferenceId });
        });

        modelBuilder.Entity<CableRevisionEntity>(revision =>
        {
            revision.ToTable("cable_revisions");
            revision.HasKey(r => new { r.ReferenceId, r.Revision });
        });

        // The change log: a change is found from its transaction, and its key holds the reference id as every table's does.
        modelBuilder.Entity<CableChangeEntity>(change =>
        {
            change.ToTable("cable_changes");
            change.HasKey(c => new { c.Xid, c.Seq, c.ReferenceId });
            change.Property(c => c.Xid).HasDefaultValueSql(ChangeXidSql);
            change.Property(c => c.Seq).UseIdentityByDefaultColumn();
        });

        // Its commit ledger, one row per writing transaction; trigger cable_commits_number numbers each at commit.
        modelBuilder.HasSequence<long>(CommitNumbersSequence);
        modelBuilder.Entity<CableCommitEntity>(commit =>
        {
            commit.ToTable("cable_commits");
            commit.HasKey(c => c.Xid);
            commit.HasIndex(c => c.CommitNumber).IsUnique();
            commit.Property(c => c.Xid).HasDefaultValueSql(ChangeXidSql);
            commit.Property(c => c.LoggedAt).HasDefaultValueSql("now()");
        });

        // snake_case columns: the raw SQL of the store reads like the schema. Reference ids, in every table, compare in
        // byte order: that matches ordinal string comparison in clients and keeps keyset comparisons cheap.
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(ToSnakeCase(property.Name));
                if (property.Name is nameof(CableEntity.ReferenceId) or nameof(CableCitationEntity.CitedId))
                {
                    property.SetCollation("C");
                }
            }
        }
    }

    /// <summary>A GIN index that gathers new entries in its pending list (<see cref="GinPendingListLimitKb"/>) and merges them in bulk.</summary>
    private static void PendingGin<T>(IndexBuilder<T> index) =>
        index.HasMethod("gin")
            .HasStorageParameter("fastupdate", true)
            .HasStorageParameter("gin_pending_list_limit", GinPendingListLimitKb);

    private static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}

/// <summary>Lets <c>dotnet ef</c> build the model without the host. <c>CABLES_DATABASE</c> names a server for <c>database update</c>.</summary>
internal sealed class DesignTimeCablesDbContextFactory : IDesignTimeDbContextFactory<CablesDbContext>
{
    public CablesDbContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("CABLES_DATABASE") ?? "Host=localhost;Database=cables";
        var options = new DbContextOptionsBuilder<CablesDbContext>().UseNpgsql(connectionString).Options;
        return new CablesDbContext(options);
    }
}
