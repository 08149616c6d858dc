using System.Buffers.Binary;
using System.Text;

namespace Spooled.Broker.Records;

/// <summary>
/// A growable little-endian byte buffer that broker records are encoded into. One instance is
/// reused by the engine for every group of records it appends, so encoding allocates nothing once
/// the buffer has grown to the working size.
/// </summary>
internal sealed class RecordBuffer
{
    private byte[] _buffer;
    private int _length;

    public RecordBuffer(int initialCapacity = 64 * 1024) => _buffer = GC.AllocateUninitializedArray<byte>(initialCapacity);

    public int Length => _length;

    public ReadOnlyMemory<byte> Slice(int start, int length) => _buffer.AsMemory(start, length);

    public ReadOnlySpan<byte> Span(int start, int length) => _buffer.AsSpan(start, length);

    public void Clear() => _length = 0;

    public void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[_length++] = value;
    }

    public void WriteBool(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    public void WriteInt16(short value)
    {
        Ensure(2);
        BinaryPrimitives.WriteInt16LittleEndian(_buffer.AsSpan(_length), value);
        _length += 2;
    }

    public void WriteInt32(int value)
    {
        Ensure(4);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    public void WriteInt64(long value)
    {
        Ensure(8);
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    public void WriteGuid(Guid value)
    {
        Ensure(16);
        value.TryWriteBytes(_buffer.AsSpan(_length, 16));
        _length += 16;
    }

    /// <summary>A length-prefixed UTF-8 string; a length of -1 stands for null.</summary>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }

        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        Ensure(4 + max);
        var written = Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length + 4));
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_length), written);
        _length += 4 + written;
    }

    /// <summary>Length-prefixed bytes; -1 stands for null (absent), 0 for empty.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value, bool isNull = false)
    {
        if (isNull)
        {
            WriteInt32(-1);
            return;
        }

        Ensure(4 + value.Length);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_length), value.Length);
        value.CopyTo(_buffer.AsSpan(_length + 4));
        _length += 4 + value.Length;
    }

    public void WriteNullableBytes(byte[]? value) => WriteBytes(value, value is null);

    /// <summary>Appends bytes as they are, without a length.</summary>
    public void WriteBytesRaw(ReadOnlySpan<byte> value)
    {
        Ensure(value.Length);
        value.CopyTo(_buffer.AsSpan(_length));
        _length += value.Length;
    }

    private void Ensure(int count)
    {
        if (_length + count <= _buffer.Length)
        {
            return;
        }

        var needed = (long)_length + count;
        if (needed > Array.MaxLength)
        {
            throw new InvalidOperationException($"A record buffer cannot grow past {Array.MaxLength} bytes.");
        }

        // Uninitialized: every byte up to the length is written before it is read, and zeroing a
        // snapshot-sized buffer is a measurable part of the snapshot's cost.
        var larger = GC.AllocateUninitializedArray<byte>((int)Math.Min(Math.Max((long)_buffer.Length * 2, needed), Array.MaxLength));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        _buffer = larger;
    }
}
