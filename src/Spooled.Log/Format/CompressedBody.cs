using System.Buffers.Binary;
using K4os.Compression.LZ4;

namespace Spooled.Log.Format;

/// <summary>
/// The body of an LZ4 record: a u32 original length, then an LZ4 block. The original length is
/// bounded before anything is allocated for it: LZ4 cannot expand a block by more than about 255
/// times, so a claim beyond that is damage, not a reason to allocate a gigabyte.
/// </summary>
internal static class CompressedBody
{
    private const int MaxExpansion = 256;

    /// <summary>Largest original length the format accepts (the log's MaxRecordSize ceiling).</summary>
    public const int MaxOriginalLength = 1024 * 1024 * 1024;

    public static bool TryGetOriginalLength(ReadOnlySpan<byte> body, out int originalLength)
    {
        originalLength = body.Length >= sizeof(int) ? BinaryPrimitives.ReadInt32LittleEndian(body) : -1;
        var compressed = (long)body.Length - sizeof(int);
        return originalLength >= 0 && originalLength <= MaxOriginalLength && compressed > 0
            && originalLength <= (compressed * MaxExpansion) + 64;
    }

    /// <summary>Decodes into <paramref name="destination"/> (exactly the original length); <see langword="false"/> when the block is damaged.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> body, Span<byte> destination) =>
        LZ4Codec.Decode(body[sizeof(int)..], destination) == destination.Length;
}
