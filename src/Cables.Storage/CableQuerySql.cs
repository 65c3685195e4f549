using System.Text;
using Cables.Parsing.Model;
using Cables.Storage.Internal;
using Npgsql;

namespace Cables.Storage;

/// <summary>
/// Builds the SQL of a <see cref="CableQuery"/>: a WHERE clause of parameter placeholders (values never enter the
/// text), ordered on (created, reference_id) so every page is a keyset range served by an index.
/// </summary>
internal sealed class CableQuerySql
{
    private readonly StringBuilder _where = new();
    private readonly List<NpgsqlParameter> _parameters = [];

    private CableQuerySql()
    {
    }

    public void AddParametersTo(NpgsqlCommand command)
    {
        foreach (var parameter in _parameters)
        {
            command.Parameters.Add(parameter);
        }
    }

    /// <summary>The filters of <paramref name="query"/>; with <paramref name="after"/>, the keyset range after it in the query's order.</summary>
    public static CableQuerySql Filter(CableQuery query, CableCursor? after)
    {
        var sql = new CableQuerySql();
        if (VisibilitySql.Predicate(query.Visibility, "c", sql._parameters) is { } visible)
        {
            sql.And(visible);
        }

        if (query.AllTags.Count > 0)
        {
            sql.And($"c.tags @> {sql.Add(query.AllTags.ToArray())}");
        }

        if (query.AnyTags.Count > 0)
        {
            sql.And($"c.tags && {sql.Add(query.AnyTags.ToArray())}");
        }

        if (query.Origins.Count > 0)
        {
            sql.And(query.Origins.Count == 1
                ? $"c.origin = {sql.Add(query.Origins[0])}"
                : $"c.origin = ANY({sql.Add(query.Origins.ToArray())})");
        }

        if (query.CreatedFrom is { } from)
        {
            sql.And($"c.created >= {sql.Add(CableStore.ToUtc(from))}");
        }

        if (query.CreatedTo is { } to)
        {
            sql.And($"c.created < {sql.Add(CableStore.ToUtc(to))}");
            if (query.CreatedFrom is null)
            {
                // Undated cables are stored as -infinity: no date bound matches them.
                sql.And("c.created > '-infinity'");
            }
        }

        if (query.MaxClassification is { } ceiling)
        {
            // A cable whose level could not be read (Unknown, below Unclassified) never passes a ceiling.
            sql.And($"c.classification_level BETWEEN {(short)ClassificationLevel.Unclassified} AND {sql.Add((short)ceiling)}");
        }

        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            // A cable whose vector is not computed yet (still queued) does not match.
            sql.And($"c.reference_id IN (SELECT s.reference_id FROM cable_search s WHERE s.search @@ websearch_to_tsquery('english', {sql.Add(query.Text)}))");
        }

        if (!string.IsNullOrEmpty(query.Cites))
        {
            sql.And($"c.reference_id IN (SELECT r.reference_id FROM cable_references r WHERE r.cited_id = {sql.Add(query.Cites)})");
        }

        if (after is { } cursor)
        {
            var comparison = query.Descending ? "<" : ">";
            sql.And($"(c.created, c.reference_id) {comparison} ({sql.Add(CableStore.ToUtc(cursor.Created))}, {sql.Add(cursor.ReferenceId)})");
        }

        return sql;
    }

    public string Select(string columns, CableQuery query, int limit) =>
        $"SELECT {columns} FROM cables c{WhereClause} ORDER BY {Order(query)} LIMIT {limit}";

    /// <summary>
    /// The keyset keys (created, reference_id) of the matches, in the query's order, and where each row lies (ctid, as
    /// text: Npgsql writes no tid arrays): <see cref="SelectByLocations"/> fetches them from there without probing the
    /// primary key for each.
    /// </summary>
    public string SelectKeys(CableQuery query, int limit) =>
        $"SELECT c.created, c.reference_id, c.ctid::text FROM cables c{WhereClause} ORDER BY {Order(query)} LIMIT {limit}";

    /// <summary>
    /// The rows at the locations in $1 that still hold the reference ids in $2 (the same position), in the query's
    /// order. A row written since its location was read is not found there: a revision writes a new version
    /// elsewhere, and a vacuumed location may hold another row. <see cref="SelectByIds"/> finds those.
    /// </summary>
    /// <remarks>
    /// The keys came from a query that applied the caller's visibility, but a row revised since may now be above it:
    /// the predicate is applied again to the row as it is now (its values follow $1 and $2 in <paramref name="parameters"/>).
    /// </remarks>
    public static string SelectByLocations(string columns, CableQuery query, List<NpgsqlParameter> parameters) =>
        $"SELECT {columns} FROM unnest($1::text[]::tid[], $2::text[]) k(location, id) JOIN cables c ON c.ctid = k.location AND c.reference_id = k.id"
        + $"{VisibilitySql.AndClause(query.Visibility, "c", parameters)} ORDER BY {Order(query)}";

    /// <summary>The visible rows whose reference ids are in $1, in the query's order (visibility values follow $1 in <paramref name="parameters"/>).</summary>
    public static string SelectByIds(string columns, CableQuery query, List<NpgsqlParameter> parameters) =>
        $"SELECT {columns} FROM cables c WHERE c.reference_id = ANY($1){VisibilitySql.AndClause(query.Visibility, "c", parameters)} ORDER BY {Order(query)}";

    public string Count() => $"SELECT count(*) FROM cables c{WhereClause}";

    private static string Order(CableQuery query) => query.Descending ? "c.created DESC, c.reference_id DESC" : "c.created, c.reference_id";

    private string WhereClause => _where.Length == 0 ? "" : " WHERE " + _where;

    private void And(string condition)
    {
        if (_where.Length > 0)
        {
            _where.Append(" AND ");
        }

        _where.Append(condition);
    }

    private string Add<T>(T value)
    {
        _parameters.Add(new NpgsqlParameter<T> { TypedValue = value });
        return "$" + _parameters.Count;
    }
}
