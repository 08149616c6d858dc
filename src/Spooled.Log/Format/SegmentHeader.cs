using System.Buffers.Binary;

namespace Spooled.Log.Format;

/// <summary>
/// The 32-byte header at the start of every segment file. Layout (little-endian), kept in sync with
/// docs/design.md and <c>SegmentHeaderTests</c>' golden bytes:
/// <code>
/// 0  u32 Magic              "SPLG" (0x474C5053)
/// 4  u8  Version            FormatVersion the segment was written with
/// 5  u8  MinCompatible      oldest FormatVersion a reader must understand to read it
/// 6  u16 HeaderSize         32
/// 8  u64 BasePosition       log position of the header's first byte (also the file's name)
/// 16 u32 StartSequence      the last commit marker's Sequence before this segment
/// 20 u32 StartChain         that marker's Chain
/// 24 u32 Reserved           0
/// 28 u32 Crc                CRC-32C of bytes 0..28
/// </code>
/// Carrying the chain across the segment boundary makes each segment verifiable on its own, even
/// after the segments before it were deleted.
/// </summary>
internal readonly record struct SegmentHeader(long BasePosition, uint StartSequence, uint StartChain, FormatVersion Version = FormatVersion.V1)
{
    /// <summary>Size of the header in bytes.</summary>
    public const int Size = 32;

    /// <summary>"SPLG" read as a little-endian u32.</summary>
    public const uint Magic = 0x474C5053;

    /// <summary>Writes the header with its CRC.</summary>
    public void WriteTo(Span<byte> destination)
    {
        var header = destination[..Size];
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        header[4] = (byte)Version;
        header[5] = (byte)FormatVersion.V1;
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], Size);
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], BasePosition);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], StartSequence);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], StartChain);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], Crc32C.Compute(header[..28]));
    }

    /// <summary>Reads and validates a header; <paramref name="error"/> says what is wrong when it returns <see langword="false"/>.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out SegmentHeader header, out string? error)
    {
        header = default;
        if (source.Length < Size)
        {
            error = $"the file is {source.Length} bytes, shorter than a segment header";
            return false;
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(source) != Magic)
        {
            error = "bad magic";
            return false;
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(source[28..]) != Crc32C.Compute(source[..28]))
        {
            error = "header checksum mismatch";
            return false;
        }

        if (source[5] > (byte)FormatVersion.V1)
        {
            error = $"format version {source[4]} needs a reader of version {source[5]} or later";
            return false;
        }

        if (BinaryPrimitives.ReadUInt16LittleEndian(source[6..]) != Size)
        {
            error = "unexpected header size";
            return false;
        }

        header = new SegmentHeader(
            BinaryPrimitives.ReadInt64LittleEndian(source[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[16..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[20..]),
            (FormatVersion)source[4]);
        error = null;
        return true;
    }
}
