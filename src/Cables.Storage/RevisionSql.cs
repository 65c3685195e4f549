using Cables.Storage.ReadModel;
using Npgsql;

namespace Cables.Storage;

/// <summary>
/// The statements that read the versions of one cable: its current row and its rows in <c>cable_revisions</c>, under
/// one numbering (1 = the first text ingested) and the column names of <see cref="CableColumns"/>, so one reader serves
/// both. Every read of a version, listed, read alone or compared, goes through <see cref="VisibleVersions"/>.
/// </summary>
internal static class RevisionSql
{
    /// <summary>The columns read after <see cref="CableColumns"/>, from <see cref="CableColumns.Count"/> on.</summary>
    public const string VersionColumns = "c.revision, c.is_current, c.version_ingested_at, c.replaced_at, c.source_format, c.source";

    public const int Revision = CableColumns.Count;
    public const int IsCurrent = CableColumns.Count + 1;
    public const int VersionIngestedAt = CableColumns.Count + 2;
    public const int ReplacedAt = CableColumns.Count + 3;
    public const int SourceFormat = CableColumns.Count + 4;
    public const int Source = CableColumns.Count + 5;

    /// <summary>
    /// Every version of cable $1. An earlier version reads as the cable it was: <c>ingested_at</c> when it became
    /// current, <c>revised_at</c> when it was replaced, and the revision count it had then.
    /// </summary>
    private const string AllVersions = """
        SELECT c.reference_id, c.created, c.message, c.content_sha256, c.ingested_at, c.revised_at, c.revision_count,
               c.body, c.raw_text, c.revision_count + 1 AS revision, true AS is_current,
               coalesce(c.revised_at, c.ingested_at) AS version_ingested_at, NULL::timestamptz AS replaced_at,
               c.source_format, c.source, c.classification_level, c.caveats
        FROM cables c WHERE c.reference_id = $1
        UNION ALL
        SELECT r.reference_id, r.created, r.message, r.content_sha256, r.ingested_at, r.replaced_at, r.revision - 1,
               r.body, r.raw_text, r.revision, false,
               r.ingested_at, r.replaced_at,
               r.source_format, r.source, r.classification_level, r.caveats
        FROM cable_revisions r WHERE r.reference_id = $1
        """;

    /// <summary>
    /// The versions of cable $1 a caller of <paramref name="visibility"/> may read, its values appended to
    /// <paramref name="parameters"/>: each version is checked on its own level and controls, and none is readable while
    /// the current one is not (such a cable reads as unknown, as everywhere else). Every read below goes through it.
    /// </summary>
    private static string VisibleVersions(CableVisibility visibility, List<NpgsqlParameter> parameters)
    {
        var sql = $"({AllVersions}) c WHERE true";
        if (Internal.VisibilitySql.Predicate(visibility, "c", parameters) is { } version)
        {
            var current = Internal.VisibilitySql.Predicate(visibility, "cur", parameters);
            sql += $" AND {version} AND EXISTS (SELECT 1 FROM cables cur WHERE cur.reference_id = $1 AND {current})";
        }

        return sql;
    }

    /// <summary>Versions of $1 numbered below $2, newest first, at most $3 of them; <paramref name="parameters"/> holds $1 to $3.</summary>
    public static string Page(CableTexts texts, CableVisibility visibility, List<NpgsqlParameter> parameters) =>
        $"SELECT {CableColumns.AtEveryPosition(texts)}, {VersionColumns} FROM {VisibleVersions(visibility, parameters)} AND c.revision < $2 ORDER BY c.revision DESC LIMIT $3";

    /// <summary>Version $2 of $1; <paramref name="parameters"/> holds $1 and $2.</summary>
    public static string One(CableTexts texts, CableVisibility visibility, List<NpgsqlParameter> parameters) =>
        $"SELECT {CableColumns.AtEveryPosition(texts)}, {VersionColumns} FROM {VisibleVersions(visibility, parameters)} AND c.revision = $2";

    /// <summary>The highest version number of $1 a caller may read, null when it has none; <paramref name="parameters"/> holds $1.</summary>
    public static string Latest(CableVisibility visibility, List<NpgsqlParameter> parameters) =>
        $"SELECT max(c.revision) FROM {VisibleVersions(visibility, parameters)}";
}
