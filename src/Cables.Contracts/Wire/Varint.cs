namespace Cables.Api.V1.Wire;

/// <summary>Protobuf base-128 varints, for the encoders here that write fields by hand.</summary>
internal static class Varint
{
    /// <summary>The most bytes a varint takes (a 64-bit value, or a negative int32 sign-extended).</summary>
    public const int MaxLength = 10;

    /// <summary>Writes <paramref name="value"/> at the start of <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Write(Span<byte> destination, ulong value)
    {
        var length = 0;
        while (value >= 0x80)
        {
            destination[length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[length++] = (byte)value;
        return length;
    }
}
