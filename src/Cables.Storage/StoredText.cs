namespace Cables.Storage;

/// <summary>What PostgreSQL text and jsonb can hold: everything but U+0000, which is refused before it reaches the database.</summary>
public static class StoredText
{
    public static bool HasNul(string? value) => value is not null && value.Contains('\0', StringComparison.Ordinal);
}
