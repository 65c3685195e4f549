using System.Data.Common;
using Cables.Parsing.Model;

namespace Cables.Storage.ReadModel;

/// <summary>
/// The columns watch filters match on, under the same names in <c>cables</c> and <c>cable_changes</c> (which copies them
/// as each change wrote them); <see cref="Read"/> takes them in this order from a given ordinal.
/// </summary>
internal static class FilterColumns
{
    /// <summary>How many columns <see cref="Of"/> selects.</summary>
    public const int Count = 5;

    /// <summary>The columns of the table aliased <paramref name="alias"/>.</summary>
    public static string Of(string alias) =>
        $"{alias}.created, {alias}.origin, {alias}.classification_level, {alias}.tags, {alias}.caveats";

    public static FilterFields Read(DbDataReader reader, int first) => new(
        reader.GetFieldValue<DateTime>(first),
        reader.IsDBNull(first + 1) ? null : reader.GetString(first + 1),
        (ClassificationLevel)reader.GetInt16(first + 2),
        reader.GetFieldValue<string[]>(first + 3),
        reader.GetFieldValue<string[]>(first + 4));
}
