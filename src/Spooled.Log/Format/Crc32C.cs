using System.Buffers.Binary;
using System.Numerics;

namespace Spooled.Log.Format;

/// <summary>
/// CRC-32C (Castagnoli), the checksum of every on-disk structure. <see cref="BitOperations.Crc32C(uint, ulong)"/>
/// uses the SSE4.2 / ARMv8 instruction when present and a table otherwise; this type adds the
/// conventional pre- and post-inversion so values match every other CRC-32C implementation
/// (CRC-32C of "123456789" is 0xE3069283).
/// </summary>
internal static class Crc32C
{
    /// <summary>The starting state of an incremental computation.</summary>
    public const uint Seed = 0xFFFFFFFFu;

    /// <summary>CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Update(Seed, data));

    /// <summary>Feeds <paramref name="data"/> into a running state begun with <see cref="Seed"/>.</summary>
    public static uint Update(uint state, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        if (data.Length >= 4)
        {
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt32LittleEndian(data));
            data = data[4..];
        }

        foreach (var b in data)
        {
            state = BitOperations.Crc32C(state, b);
        }

        return state;
    }

    /// <summary>Feeds one little-endian 64-bit value.</summary>
    public static uint Update(uint state, ulong value) => BitOperations.Crc32C(state, value);

    /// <summary>Feeds one little-endian 32-bit value.</summary>
    public static uint Update(uint state, uint value) => BitOperations.Crc32C(state, value);

    /// <summary>Turns a running state into the checksum.</summary>
    public static uint Finish(uint state) => ~state;
}
