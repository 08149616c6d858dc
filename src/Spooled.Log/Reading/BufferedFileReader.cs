using System.Buffers;
using Spooled.Log.Format;
using Spooled.Log.Storage;

namespace Spooled.Log.Reading;

/// <summary>
/// Sequential-friendly reads from an <see cref="ILogFile"/> through one reusable buffer, so a scan
/// streams a segment without loading it. The buffer grows only to fit the largest record asked for.
/// </summary>
internal sealed class BufferedFileReader
{
    private readonly ILogFile _file;
    private byte[] _buffer;
    private long _bufferOffset;
    private int _bufferLength;

    public BufferedFileReader(ILogFile file, long limit, int initialSize = 1024 * 1024)
    {
        _file = file;
        Limit = limit;
        // A small file never needs more than its own size.
        _buffer = new byte[(int)Math.Clamp(limit, 64, initialSize)];
    }

    /// <summary>Reads never go past this offset (the file length, or the acknowledged end).</summary>
    public long Limit { get; }

    /// <summary>Up to <paramref name="count"/> bytes at <paramref name="offset"/>; fewer only where <see cref="Limit"/> ends them.</summary>
    public ReadOnlySpan<byte> Get(long offset, int count) => GetMemory(offset, count).Span;

    /// <summary>As <see cref="Get"/>, as memory over the internal buffer (valid until the next call).</summary>
    public ReadOnlyMemory<byte> GetMemory(long offset, int count)
    {
        var available = Math.Min(count, Math.Max(0, Limit - offset));
        if (available <= 0)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        var wanted = (int)available;
        if (offset >= _bufferOffset && offset + wanted <= _bufferOffset + _bufferLength)
        {
            return _buffer.AsMemory((int)(offset - _bufferOffset), wanted);
        }

        if (wanted > _buffer.Length)
        {
            _buffer = new byte[Math.Max(wanted, _buffer.Length * 2)];
        }

        var toRead = (int)Math.Min(_buffer.Length, Limit - offset);
        _bufferOffset = offset;
        _bufferLength = _file.Read(offset, _buffer.AsSpan(0, toRead));
        return _buffer.AsMemory(0, Math.Min(wanted, _bufferLength));
    }

    /// <summary>
    /// Decodes the record at <paramref name="offset"/> (log position <paramref name="position"/>):
    /// the header first, then, when it is plausible, the whole record through the buffer.
    /// </summary>
    public OperationStatus DecodeRecord(long offset, long position, out RecordHeader header, out int length)
    {
        var head = Get(offset, RecordHeader.Size);
        var status = RecordHeader.TryDecode(head, position, out header, out length);
        if (status == OperationStatus.NeedMoreData && head.Length == RecordHeader.Size)
        {
            status = RecordHeader.TryDecode(Get(offset, length), position, out header, out length);
        }

        return status;
    }
}
