using Cables.Parsing.Model;
using Npgsql;

namespace Cables.Storage.Internal;

/// <summary>
/// The one SQL form of <see cref="CableVisibility"/>, over the <c>classification_level</c> and <c>caveats</c> columns
/// that <c>cables</c> and <c>cable_revisions</c> share. Every read and the ingest upsert state visibility through it.
/// </summary>
internal static class VisibilitySql
{
    /// <summary>
    /// The predicate for the row under <paramref name="alias"/>, its values appended to <paramref name="parameters"/> as
    /// positional parameters (<c>$n</c> is the n-th of the list); null when the caller sees everything.
    /// </summary>
    public static string? Predicate(CableVisibility visibility, string alias, List<NpgsqlParameter> parameters)
    {
        if (visibility.IsUnrestricted)
        {
            return null;
        }

        var conditions = new List<string>(2);
        if (visibility.MaxLevel < ClassificationLevel.TopSecret)
        {
            // A cable whose level could not be read (Unknown, below Unclassified) is above every clearance but the top.
            parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)visibility.MaxLevel });
            conditions.Add($"{alias}.classification_level BETWEEN {(short)ClassificationLevel.Unclassified} AND ${parameters.Count}");
        }

        if (visibility.HiddenControls.Count > 0)
        {
            parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. visibility.HiddenControls] });
            conditions.Add($"NOT ({alias}.caveats && ${parameters.Count})");
        }

        return string.Join(" AND ", conditions);
    }

    /// <summary><see cref="Predicate"/> as <c> AND …</c> to append to a WHERE clause, or empty.</summary>
    public static string AndClause(CableVisibility visibility, string alias, List<NpgsqlParameter> parameters) =>
        Predicate(visibility, alias, parameters) is { } predicate ? " AND " + predicate : "";

    /// <summary>
    /// The same rule over fixed parameters, for a statement whose text cannot vary: <paramref name="level"/> is the
    /// maximum level (smallint) and <paramref name="hidden"/> the hidden controls (text[]); see <see cref="ParameterValues"/>.
    /// </summary>
    public static string Parameterized(string alias, string level, string hidden) =>
        $"(({alias}.classification_level BETWEEN {(short)ClassificationLevel.Unclassified} AND {level} OR {level} >= {(short)ClassificationLevel.TopSecret}) AND NOT ({alias}.caveats && {hidden}))";

    /// <summary>The values of <see cref="Parameterized"/>'s two parameters, in order.</summary>
    public static NpgsqlParameter[] ParameterValues(CableVisibility visibility) =>
    [
        new NpgsqlParameter<short> { TypedValue = (short)visibility.MaxLevel },
        new NpgsqlParameter<string[]> { TypedValue = [.. visibility.HiddenControls] },
    ];
}
