namespace Spooled.Testing;

/// <summary>
/// The bytes of one simulated file: an array that grows on demand. Invariant: every byte of the array at or
/// beyond <see cref="Length"/> is zero, so growing the file (by a write past the end or a truncation upwards)
/// exposes zeros, exactly as a POSIX file does.
/// </summary>
internal sealed class GrowableBuffer
{
    private byte[] _bytes;
    private int _length;

    public GrowableBuffer()
    {
        _bytes = [];
    }

    private GrowableBuffer(byte[] bytes, int length)
    {
        _bytes = bytes;
        _length = length;
    }

    public long Length => _length;

    public ReadOnlySpan<byte> Span => _bytes.AsSpan(0, _length);

    public GrowableBuffer Clone() => new(_bytes.AsSpan(0, _length).ToArray(), _length);

    public byte[] ToArray() => _bytes.AsSpan(0, _length).ToArray();

    public int Read(long offset, Span<byte> destination)
    {
        if (offset >= _length)
        {
            return 0;
        }

        var count = (int)Math.Min(destination.Length, _length - offset);
        _bytes.AsSpan((int)offset, count).CopyTo(destination);
        return count;
    }

    /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/>; an empty write changes nothing, as with pwrite.</summary>
    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        var end = checked((int)(offset + data.Length));
        EnsureCapacity(end);
        data.CopyTo(_bytes.AsSpan((int)offset));
        _length = Math.Max(_length, end);
    }

    public void SetLength(long length)
    {
        var newLength = checked((int)length);
        if (newLength < _length)
        {
            _bytes.AsSpan(newLength, _length - newLength).Clear();
        }
        else
        {
            EnsureCapacity(newLength);
        }

        _length = newLength;
    }

    public void Xor(long offset, byte mask) => _bytes[checked((int)offset)] ^= mask;

    private void EnsureCapacity(int needed)
    {
        if (needed <= _bytes.Length)
        {
            return;
        }

        var size = (int)Math.Min(Array.MaxLength, Math.Max(needed, Math.Max(4096L, _bytes.Length * 2L)));
        Array.Resize(ref _bytes, size);
    }
}
