using System.Buffers;
using System.Buffers.Binary;

namespace Spooled.Log.Format;

/// <summary>
/// The 16-byte header in front of every record body. Layout (little-endian), kept in sync with
/// docs/design.md and <c>RecordHeaderTests</c>' golden bytes:
/// <code>
/// 0  u32 BodyLength     bytes of body that follow the header (after compression)
/// 4  u32 Crc            CRC-32C of: position (u64 LE) ‖ header[0..4] ‖ header[8..16] ‖ body
/// 8  u8  Type           RecordType (1 data, 2 commit); 0 is invalid
/// 9  u8  Flags          RecordFlags (bit 0: LZ4 body)
/// 10 u8  Version        FormatVersion of this record (1)
/// 11 u8  Reserved       0
/// 12 u32 DurableBatch   sequence of the newest batch known durable when this record was written
/// </code>
/// Seeding the CRC with the record's log position makes a record that is read at any other place
/// (a misdirected write, a stale block) fail its check without storing the position.
/// </summary>
internal readonly record struct RecordHeader(int BodyLength, uint Crc, RecordType Type, RecordFlags Flags, byte Version, uint DurableBatch)
{
    /// <summary>Size of the header in bytes.</summary>
    public const int Size = 16;

    /// <summary>Largest body the format can describe; real limits are far lower.</summary>
    public const int MaxBodyLength = int.MaxValue - 64;

    /// <summary>Writes the header's fields, including <see cref="Crc"/> as given.</summary>
    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, BodyLength);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], Crc);
        destination[8] = (byte)Type;
        destination[9] = (byte)Flags;
        destination[10] = Version;
        destination[11] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], DurableBatch);
    }

    /// <summary>Reads the fields without validating them.</summary>
    public static RecordHeader Read(ReadOnlySpan<byte> source) => new(
        BinaryPrimitives.ReadInt32LittleEndian(source),
        BinaryPrimitives.ReadUInt32LittleEndian(source[4..]),
        (RecordType)source[8],
        (RecordFlags)source[9],
        source[10],
        BinaryPrimitives.ReadUInt32LittleEndian(source[12..]));

    /// <summary>
    /// The checksum of a record whose header (with any value in the CRC field) and body are
    /// contiguous in <paramref name="record"/>, as stored at log position <paramref name="position"/>.
    /// </summary>
    public static uint ComputeCrc(long position, ReadOnlySpan<byte> record)
    {
        var state = Crc32C.Update(Crc32C.Seed, (ulong)position);
        state = Crc32C.Update(state, record[..4]);
        state = Crc32C.Update(state, record[8..]);
        return Crc32C.Finish(state);
    }

    /// <summary>
    /// Decodes the record at the start of <paramref name="data"/>, read from log position
    /// <paramref name="position"/>. <see cref="OperationStatus.Done"/>: a whole, intact record of
    /// <paramref name="recordLength"/> bytes. <see cref="OperationStatus.NeedMoreData"/>: the bytes
    /// end inside the record (<paramref name="recordLength"/> says how many are needed when the header
    /// is readable). <see cref="OperationStatus.InvalidData"/>: the header is impossible or the CRC fails.
    /// </summary>
    public static OperationStatus TryDecode(ReadOnlySpan<byte> data, long position, out RecordHeader header, out int recordLength)
    {
        header = default;
        recordLength = Size;
        if (data.Length < Size)
        {
            return OperationStatus.NeedMoreData;
        }

        header = Read(data);
        if (header.BodyLength < 0 || header.BodyLength > MaxBodyLength
            || header.Type is not (RecordType.Data or RecordType.Commit)
            || (header.Flags & ~RecordFlags.Lz4) != 0
            || header.Version != (byte)FormatVersion.V1
            || data[11] != 0
            || (header.Type == RecordType.Commit && (header.BodyLength != CommitMarker.BodySize || header.Flags != RecordFlags.None)))
        {
            return OperationStatus.InvalidData;
        }

        recordLength = Size + header.BodyLength;
        if (data.Length < recordLength)
        {
            return OperationStatus.NeedMoreData;
        }

        return ComputeCrc(position, data[..recordLength]) == header.Crc ? OperationStatus.Done : OperationStatus.InvalidData;
    }
}
