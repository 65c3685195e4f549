using Cables.Api.V1;
using Cables.Storage.ReadModel;
using Npgsql;
using Model = Cables.Parsing.Model;

namespace Cables.Storage;

public sealed partial class CableStore
{
    /// <summary>
    /// Every stored version of a cable, newest first (the current one first), with the <paramref name="texts"/>
    /// asked for; empty for an unknown id. For trusted callers: every version, whatever its level.
    /// </summary>
    public Task<IReadOnlyList<CableVersion>> GetRevisionsAsync(string referenceId, CableTexts texts, CancellationToken ct) =>
        GetRevisionsAsync(referenceId, before: null, int.MaxValue, texts, CableVisibility.Unrestricted, ct);

    /// <summary>
    /// At most <paramref name="limit"/> versions of a cable numbered below <paramref name="before"/> (all when null),
    /// newest first, with the <paramref name="texts"/> asked for, of those a caller of <paramref name="visibility"/> may read.
    /// </summary>
    public async Task<IReadOnlyList<CableVersion>> GetRevisionsAsync(
        string referenceId, int? before, int limit, CableTexts texts, CableVisibility visibility, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        List<NpgsqlParameter> parameters =
        [
            new NpgsqlParameter<string> { TypedValue = referenceId },
            new NpgsqlParameter<int> { TypedValue = before ?? int.MaxValue },
            new NpgsqlParameter<int> { TypedValue = limit },
        ];
        return await ReadVersionsAsync(RevisionSql.Page(texts, visibility, parameters), parameters, texts, ct);
    }

    /// <summary>
    /// Version <paramref name="revision"/> (1 = the first text ingested) of a cable, or null when it has none a caller
    /// of <paramref name="visibility"/> may read.
    /// </summary>
    public async Task<CableVersion?> GetRevisionAsync(string referenceId, int revision, CableTexts texts, CableVisibility visibility, CancellationToken ct)
    {
        List<NpgsqlParameter> parameters =
        [
            new NpgsqlParameter<string> { TypedValue = referenceId },
            new NpgsqlParameter<int> { TypedValue = revision },
        ];
        var versions = await ReadVersionsAsync(RevisionSql.One(texts, visibility, parameters), parameters, texts, ct);
        return versions.Count == 0 ? null : versions[0];
    }

    /// <summary>
    /// The number of the newest version of a cable a caller of <paramref name="visibility"/> may read, or null when
    /// there is none (an unknown id, or a cable above the caller's clearance).
    /// </summary>
    public async Task<int?> GetLatestRevisionAsync(string referenceId, CableVisibility visibility, CancellationToken ct)
    {
        List<NpgsqlParameter> parameters = [new NpgsqlParameter<string> { TypedValue = referenceId }];
        await using var command = _dataSource.CreateCommand(RevisionSql.Latest(visibility, parameters));
        command.Parameters.AddRange(parameters.ToArray());
        return await command.ExecuteScalarAsync(ct) is int latest ? latest : null;
    }

    private async Task<List<CableVersion>> ReadVersionsAsync(string sql, List<NpgsqlParameter> parameters, CableTexts texts, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters.ToArray());
        var versions = new List<CableVersion>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var row = CableColumns.ReadRow(reader, texts);
            versions.Add(new CableVersion(
                reader.GetInt32(RevisionSql.Revision),
                reader.GetBoolean(RevisionSql.IsCurrent),
                reader.GetFieldValue<DateTime>(RevisionSql.VersionIngestedAt),
                reader.IsDBNull(RevisionSql.ReplacedAt) ? null : reader.GetFieldValue<DateTime>(RevisionSql.ReplacedAt),
                (Model.SourceFormat)reader.GetInt16(RevisionSql.SourceFormat),
                reader.IsDBNull(RevisionSql.Source) ? null : reader.GetString(RevisionSql.Source),
                Cable.Parser.ParseFrom(row.Message)));
        }

        return versions;
    }
}
