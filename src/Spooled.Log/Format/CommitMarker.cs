using System.Buffers.Binary;

namespace Spooled.Log.Format;

/// <summary>
/// The body of the <see cref="RecordType.Commit"/> record that closes every write batch. Layout
/// (little-endian), kept in sync with docs/design.md:
/// <code>
/// 0  u32 Sequence       this batch's number: the previous marker's + 1 (wrapping)
/// 4  u32 RecordCount    data records since the previous marker
/// 8  u32 Chain          CRC-32C chain: the previous marker's chain, fed each data record's CRC in order
/// 12 u32 Reserved       0
/// </code>
/// A marker proves on disk where a batch ends and that exactly these records, in this order, were
/// written before it; recovery uses it to tell a torn final batch from damage to acknowledged data.
/// </summary>
internal readonly record struct CommitMarker(uint Sequence, uint RecordCount, uint Chain)
{
    /// <summary>Size of the marker body.</summary>
    public const int BodySize = 16;

    /// <summary>Size of a whole marker record, header included.</summary>
    public const int RecordSize = RecordHeader.Size + BodySize;

    /// <summary>Writes the body.</summary>
    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], RecordCount);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], Chain);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], 0);
    }

    /// <summary>Reads a body; <see langword="false"/> when the reserved field is not zero.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out CommitMarker marker)
    {
        marker = new CommitMarker(
            BinaryPrimitives.ReadUInt32LittleEndian(source),
            BinaryPrimitives.ReadUInt32LittleEndian(source[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[8..]));
        return BinaryPrimitives.ReadUInt32LittleEndian(source[12..]) == 0;
    }

    /// <summary>Extends a chain with one data record's CRC.</summary>
    public static uint ExtendChain(uint chain, uint recordCrc) => Crc32C.Update(chain, recordCrc);

    /// <summary>
    /// Writes a complete marker record (header and body) at the start of <paramref name="destination"/>
    /// for log position <paramref name="position"/>.
    /// </summary>
    public void WriteRecord(Span<byte> destination, long position, uint durableBatch)
    {
        var record = destination[..RecordSize];
        new RecordHeader(BodySize, 0, RecordType.Commit, RecordFlags.None, (byte)FormatVersion.V1, durableBatch).WriteTo(record);
        WriteTo(record[RecordHeader.Size..]);
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], RecordHeader.ComputeCrc(position, record));
    }
}
