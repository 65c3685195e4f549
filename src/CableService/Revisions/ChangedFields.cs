namespace CableService.Revisions;

/// <summary>The parsed fields of <see cref="Api.Cable"/> whose values differ between two versions of a cable.</summary>
public static class ChangedFields
{
    /// <summary>
    /// Not parsed fields: the raw text is what the line diff shows, and the rest is what the store knows of a version
    /// (its hash, when it was ingested and replaced, how many came before it), which differs between any two.
    /// </summary>
    private static readonly HashSet<int> s_notCompared =
    [
        Api.Cable.RawTextFieldNumber,
        Api.Cable.ContentSha256FieldNumber,
        Api.Cable.IngestedFieldNumber,
        Api.Cable.RevisedFieldNumber,
        Api.Cable.RevisionCountFieldNumber,
    ];

    /// <summary>The proto names of the fields that differ, in field-number order.</summary>
    public static IEnumerable<string> Between(Api.Cable from, Api.Cable to) =>
        Api.Cable.Descriptor.Fields.InFieldNumberOrder()
            .Where(field => !s_notCompared.Contains(field.FieldNumber)
                && !Equals(field.Accessor.GetValue(from), field.Accessor.GetValue(to)))
            .Select(field => field.Name);
}
