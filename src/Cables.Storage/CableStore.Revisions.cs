using Cables.Api.V1;
using Cables.Storage.ReadModel;
using Npgsql;
using Model = Cables.Parsing.Model;

namespace Cables.Storage;

public sealed partial class CableStore
{
    /// <summary>
    /// Every stored version of a cable, newest first (the current one first), with the <paramref name="texts"/>
    /// asked for; empty for an unknown id.
    /// </summary>
    public Task<IReadOnlyList<CableVersion>> GetRevisionsAsync(string referenceId, CableTexts texts, CancellationToken ct) =>
        GetRevisionsAsync(referenceId, before: null, int.MaxValue, texts, ct);

    /// <summary>
    /// At most <paramref name="limit"/> versions of a cable numbered below <paramref name="before"/> (all when null),
    /// newest first, with the <paramref name="texts"/> asked for.
    /// </summary>
    public async Task<IReadOnlyList<CableVersion>> GetRevisionsAsync(string referenceId, int? before, int limit, CableTexts texts, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var command = _dataSource.CreateCommand(RevisionSql.Page(texts));
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = referenceId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = before ?? int.MaxValue });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await ReadVersionsAsync(command, texts, ct);
    }

    /// <summary>Version <paramref name="revision"/> (1 = the first text ingested) of a cable, or null when it has none.</summary>
    public async Task<CableVersion?> GetRevisionAsync(string referenceId, int revision, CableTexts texts, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(RevisionSql.One(texts));
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = referenceId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = revision });
        var versions = await ReadVersionsAsync(command, texts, ct);
        return versions.Count == 0 ? null : versions[0];
    }

    /// <summary>The number of a cable's newest version (its revision count plus one), or null for an unknown id.</summary>
    public async Task<int?> GetLatestRevisionAsync(string referenceId, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(RevisionSql.Latest);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = referenceId });
        return await command.ExecuteScalarAsync(ct) is int latest ? latest : null;
    }

    private static async Task<List<CableVersion>> ReadVersionsAsync(NpgsqlCommand command, CableTexts texts, CancellationToken ct)
    {
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
