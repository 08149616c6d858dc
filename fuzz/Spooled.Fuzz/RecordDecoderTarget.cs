using System.Buffers;
using System.Buffers.Binary;
using Spooled.Log.Format;

namespace Spooled.Fuzz;

/// <summary>
/// <see cref="RecordHeader.TryDecode"/> on arbitrary bytes at an arbitrary log position. The first 8
/// input bytes are the position (little-endian, any value, as a misdirected read could give), the rest
/// the bytes read there. Allowed: one of the three documented statuses, consistent with the bytes
/// (plan §5.3); never an exception, and never an allocation (a length field must not make the decoder
/// allocate before its bytes are there).
/// </summary>
public sealed class RecordDecoderTarget : IFuzzTarget
{
    /// <inheritdoc />
    public string Name => "record-decoder";

    /// <inheritdoc />
    public void Fuzz(ReadOnlySpan<byte> input)
    {
        var position = input.Length >= sizeof(long) ? BinaryPrimitives.ReadInt64LittleEndian(input) : 0;
        var data = input.Length >= sizeof(long) ? input[sizeof(long)..] : input;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var status = RecordHeader.TryDecode(data, position, out var header, out var length);
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        if (allocated != 0)
        {
            throw new FuzzOracleException($"TryDecode allocated {allocated} byte(s).");
        }

        switch (status)
        {
            case OperationStatus.Done:
                if (length != RecordHeader.Size + header.BodyLength || length > data.Length)
                {
                    throw new FuzzOracleException($"Done with record length {length} for body length {header.BodyLength} in {data.Length} byte(s).");
                }

                if (header.Type is not (RecordType.Data or RecordType.Commit) || RecordHeader.ComputeCrc(position, data[..length]) != header.Crc)
                {
                    throw new FuzzOracleException("Done for a record of an unknown type or whose checksum does not match.");
                }

                // Only the record's own bytes decide: it decodes the same alone, and needs its last byte.
                if (RecordHeader.TryDecode(data[..length], position, out var alone, out var aloneLength) != OperationStatus.Done || alone != header || aloneLength != length)
                {
                    throw new FuzzOracleException("A record that decodes with bytes after it does not decode alone.");
                }

                if (RecordHeader.TryDecode(data[..(length - 1)], position, out _, out _) != OperationStatus.NeedMoreData)
                {
                    throw new FuzzOracleException("A record one byte short is not reported as needing more data.");
                }

                break;
            case OperationStatus.NeedMoreData:
                if (length <= data.Length || length < RecordHeader.Size)
                {
                    throw new FuzzOracleException($"NeedMoreData asks for {length} byte(s) with {data.Length} present.");
                }

                break;
            case OperationStatus.InvalidData:
                // The verdict rests on the bytes of the record (or its header) alone.
                if (RecordHeader.TryDecode(data[..Math.Min(data.Length, length)], position, out _, out _) != OperationStatus.InvalidData)
                {
                    throw new FuzzOracleException("InvalidData changes when the bytes after the record are cut off.");
                }

                break;
            default:
                throw new FuzzOracleException($"TryDecode returned {status}, which it documents it never returns.");
        }
    }
}
