using Google.Protobuf;
using Npgsql;

namespace Cables.Testing;

/// <summary>
/// Cables written by another writer than the service, with plain SQL in a transaction the test controls: the change
/// log's triggers must log them like the store's own writes.
/// </summary>
public static class HandWrittenCables
{
    /// <summary>Inserts an Embassy Sanaa cable tagged PTER and YM under <paramref name="referenceId"/>; the caller commits.</summary>
    public static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string referenceId)
    {
        var message = new Cables.Api.V1.Cable { ReferenceId = referenceId, Origin = "Embassy Sanaa", Tags = { "PTER", "YM" }, Subject = "By hand" }.ToByteArray();
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO cables (reference_id, created, origin, classification_level, caveats, tags, subject, message, body,
                                raw_text, content_sha256, source_format, revision_count)
            VALUES ($1, '2009-06-01', 'Embassy Sanaa', 4, '{}', '{PTER,YM}', 'By hand', $2, 'body', $1, sha256(convert_to($1, 'UTF8')), 1, 0)
            """,
            connection,
            transaction);
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = referenceId });
        insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = message });
        await insert.ExecuteNonQueryAsync();
    }
}
