using System.Data.Common;

namespace Cables.Storage.ReadModel;

/// <summary>
/// The columns every read selects, from <c>cables c</c> or, under the same names, from the versions of one cable
/// (<see cref="RevisionSql"/>); the ordinals below name their positions, so the SQL and <see cref="ReadRow"/> change
/// together. Columns a read adds after these start at <see cref="Count"/>.
/// </summary>
internal static class CableColumns
{
    public const string Basic = "c.reference_id, c.created, c.message, c.content_sha256, c.ingested_at, c.revised_at, c.revision_count";

    public const string Full = Basic + ", c.body, c.raw_text";

    private const int ReferenceId = 0;
    private const int Created = 1;
    private const int Message = 2;
    private const int ContentSha256 = 3;
    private const int IngestedAt = 4;
    private const int RevisedAt = 5;
    private const int RevisionCount = 6;
    private const int Body = 7;
    private const int RawText = 8;

    /// <summary>How many columns <see cref="For"/> selects.</summary>
    public const int Count = 9;

    /// <summary>The columns for <paramref name="texts"/>: a text column not wanted is a NULL in its place, never read.</summary>
    public static string For(CableTexts texts) =>
        texts == CableTexts.None ? Basic
        : texts == CableTexts.All ? Full
        : Basic + ((texts & (CableTexts.Body | CableTexts.Paragraphs)) != 0 ? ", c.body" : ", NULL::text")
            + ((texts & CableTexts.RawText) != 0 ? ", c.raw_text" : ", NULL::text");

    /// <summary>
    /// As <see cref="For"/>, with a NULL for each text not wanted even in the BASIC view: a read that adds columns
    /// finds them from <see cref="Count"/> on.
    /// </summary>
    public static string AtEveryPosition(CableTexts texts) => texts == CableTexts.None ? Basic + ", NULL::text, NULL::text" : For(texts);

    /// <summary>The row under the reader as its encoded cable; text columns are read as their UTF-8, never as strings.</summary>
    public static EncodedCable ReadRow(DbDataReader reader, CableTexts texts)
    {
        var store = new StoreFields(
            reader.GetFieldValue<byte[]>(ContentSha256),
            reader.GetFieldValue<DateTime>(IngestedAt),
            reader.IsDBNull(RevisedAt) ? null : reader.GetFieldValue<DateTime>(RevisedAt),
            reader.GetInt32(RevisionCount));
        var message = CableEncoding.Encode(
            reader.GetFieldValue<byte[]>(Message),
            store,
            (texts & (CableTexts.Body | CableTexts.Paragraphs)) != 0 ? reader.GetFieldValue<byte[]>(Body) : null,
            (texts & CableTexts.RawText) != 0 ? reader.GetFieldValue<byte[]>(RawText) : null,
            texts);
        return new EncodedCable(reader.GetString(ReferenceId), reader.GetFieldValue<DateTime>(Created), message);
    }
}
