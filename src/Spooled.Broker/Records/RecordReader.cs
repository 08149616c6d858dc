using System.Buffers.Binary;
using System.Text;

namespace Spooled.Broker.Records;

/// <summary>
/// Reads what <see cref="RecordBuffer"/> wrote. Any read past the end, or a negative length other
/// than the null marker, throws <see cref="BrokerRecordException"/>: a record that does not decode
/// is corruption, never something to guess around.
/// </summary>
internal ref struct RecordReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _offset;

    public RecordReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _offset = 0;
    }

    public readonly int Remaining => _data.Length - _offset;

    public byte ReadByte()
    {
        Need(1);
        return _data[_offset++];
    }

    public bool ReadBool() => ReadByte() switch
    {
        0 => false,
        1 => true,
        _ => throw new BrokerRecordException("a boolean is neither 0 nor 1"),
    };

    public short ReadInt16()
    {
        Need(2);
        var value = BinaryPrimitives.ReadInt16LittleEndian(_data[_offset..]);
        _offset += 2;
        return value;
    }

    public int ReadInt32()
    {
        Need(4);
        var value = BinaryPrimitives.ReadInt32LittleEndian(_data[_offset..]);
        _offset += 4;
        return value;
    }

    /// <summary>A count of items that follow, each at least <paramref name="minItemSize"/> bytes.</summary>
    public int ReadCount(int minItemSize = 1)
    {
        var count = ReadInt32();
        if (count < 0 || (long)count * minItemSize > Remaining)
        {
            throw new BrokerRecordException($"an item count of {count} does not fit the record");
        }

        return count;
    }

    public long ReadInt64()
    {
        Need(8);
        var value = BinaryPrimitives.ReadInt64LittleEndian(_data[_offset..]);
        _offset += 8;
        return value;
    }

    public Guid ReadGuid()
    {
        Need(16);
        var value = new Guid(_data.Slice(_offset, 16));
        _offset += 16;
        return value;
    }

    public string? ReadString()
    {
        var length = ReadLength();
        if (length < 0)
        {
            return null;
        }

        var value = Encoding.UTF8.GetString(_data.Slice(_offset, length));
        _offset += length;
        return value;
    }

    public string ReadRequiredString() => ReadString() ?? throw new BrokerRecordException("a required string is null");

    public byte[]? ReadBytes()
    {
        var length = ReadLength();
        if (length < 0)
        {
            return null;
        }

        // Every byte field of a record (payload, result, tags…) is held by the state once applied.
        var value = HeldBytes.Copy(_data.Slice(_offset, length));
        _offset += length;
        return value;
    }

    /// <summary>Length-prefixed bytes as a span of the record (valid as long as the record), or null.</summary>
    public ReadOnlySpan<byte> ReadBytesSpan(out bool isNull)
    {
        var length = ReadLength();
        isNull = length < 0;
        if (isNull)
        {
            return default;
        }

        var value = _data.Slice(_offset, length);
        _offset += length;
        return value;
    }

    public void ExpectEnd()
    {
        if (_offset != _data.Length)
        {
            throw new BrokerRecordException($"{_data.Length - _offset} bytes left over after the record");
        }
    }

    private int ReadLength()
    {
        var length = ReadInt32();
        if (length < -1)
        {
            throw new BrokerRecordException($"a negative length {length}");
        }

        if (length > Remaining)
        {
            throw new BrokerRecordException($"a length of {length} runs past the record's end");
        }

        return length;
    }

    private readonly void Need(int count)
    {
        if (_offset + count > _data.Length)
        {
            throw new BrokerRecordException("the record ends early");
        }
    }
}
