using System.Buffers.Binary;
using Spooled.Log.Format;

namespace Spooled.Log.Snapshots;

/// <summary>
/// The 32-byte header of a snapshot file. Layout (little-endian), kept in sync with docs/design.md
/// and <c>SnapshotStoreTests</c>' golden bytes:
/// <code>
/// 0  u32 Magic          "SPSN" (0x4E535053)
/// 4  u8  Version        FormatVersion (1)
/// 5  u8  MinCompatible  1
/// 6  u16 HeaderSize     32
/// 8  u64 Position       the log position the snapshot covers: replay starts here
/// 16 u64 Length         bytes of blob after the header
/// 24 u32 BlobCrc        CRC-32C of the blob
/// 28 u32 HeaderCrc      CRC-32C of bytes 0..28
/// </code>
/// </summary>
internal readonly record struct SnapshotHeader(long Position, long Length, uint BlobCrc)
{
    public const int Size = 32;

    public const uint Magic = 0x4E535053;

    public void WriteTo(Span<byte> destination)
    {
        var header = destination[..Size];
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        header[4] = (byte)FormatVersion.V1;
        header[5] = (byte)FormatVersion.V1;
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], Size);
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], Position);
        BinaryPrimitives.WriteInt64LittleEndian(header[16..], Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], BlobCrc);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], Crc32C.Compute(header[..28]));
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out SnapshotHeader header)
    {
        header = default;
        if (source.Length < Size
            || BinaryPrimitives.ReadUInt32LittleEndian(source) != Magic
            || BinaryPrimitives.ReadUInt32LittleEndian(source[28..]) != Crc32C.Compute(source[..28])
            || source[5] > (byte)FormatVersion.V1
            || BinaryPrimitives.ReadUInt16LittleEndian(source[6..]) != Size)
        {
            return false;
        }

        header = new SnapshotHeader(
            BinaryPrimitives.ReadInt64LittleEndian(source[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(source[16..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[24..]));
        return header.Length >= 0;
    }
}
