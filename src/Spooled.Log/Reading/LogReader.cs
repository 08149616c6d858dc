using System.Buffers;
using Spooled.Log.Format;
using Spooled.Log.Reading;
using Spooled.Log.Storage;

namespace Spooled.Log;

/// <summary>
/// A forward scan over the log's data records from a position up to the end acknowledged when the
/// reader was created. Streams segment by segment through one buffer; every record's CRC is checked.
/// Not thread safe; dispose to close the open segment.
/// </summary>
public sealed class LogReader : IDisposable
{
    private readonly ILogStorage _storage;
    private readonly long[] _bases;
    private readonly long _end;
    private int _segmentIndex;
    private ILogFile? _file;
    private BufferedFileReader? _reader;
    private long _offset;
    private bool _first = true;
    private byte[] _decompressed = [];

    internal LogReader(ILogStorage storage, long[] bases, long end, long position)
    {
        _storage = storage;
        _bases = bases;
        _end = end;
        if (position < bases[0])
        {
            throw new ArgumentOutOfRangeException(nameof(position), position, $"The log now starts at position {bases[0]}; earlier segments were deleted.");
        }

        if (position > end)
        {
            throw new ArgumentOutOfRangeException(nameof(position), position, $"The log ends at position {end}.");
        }

        _segmentIndex = bases.Length - 1;
        while (bases[_segmentIndex] > position)
        {
            _segmentIndex--;
        }

        _offset = Math.Max(SegmentHeader.Size, position - bases[_segmentIndex]);
    }

    /// <summary>Position of the next record to read (or of the end).</summary>
    public long Position => _bases[_segmentIndex] + _offset;

    /// <summary>
    /// Reads the next data record; <see langword="false"/> at the end. The payload is valid until
    /// the next call. Throws <see cref="LogCorruptionException"/> on a damaged record and
    /// <see cref="ArgumentException"/> when the starting position was not a record boundary.
    /// </summary>
    public bool TryRead(out LogRecord record)
    {
        while (true)
        {
            var basePosition = _bases[_segmentIndex];
            var limit = (_segmentIndex + 1 < _bases.Length ? Math.Min(_bases[_segmentIndex + 1], _end) : _end) - basePosition;
            if (_offset >= limit)
            {
                if (_segmentIndex + 1 >= _bases.Length || _bases[_segmentIndex + 1] >= _end)
                {
                    record = default;
                    return false;
                }

                CloseSegment();
                _segmentIndex++;
                _offset = SegmentHeader.Size;
                continue;
            }

            if (_reader is null)
            {
                _file = _storage.Open(SegmentName.For(basePosition), LogFileMode.Read);
                _reader = new BufferedFileReader(_file, limit);
            }

            var status = _reader.DecodeRecord(_offset, basePosition + _offset, out var header, out var length);

            if (status != OperationStatus.Done)
            {
                if (_first)
                {
                    throw new ArgumentException($"No record starts at position {basePosition + _offset}.", "position");
                }

                throw new LogCorruptionException(SegmentName.For(basePosition), _offset, "a record read back failed its checks");
            }

            _first = false;
            var position = basePosition + _offset;
            _offset += length;
            if (header.Type != RecordType.Data)
            {
                continue;
            }

            var body = _reader.GetMemory(position - basePosition + RecordHeader.Size, header.BodyLength);
            var payload = (header.Flags & RecordFlags.Lz4) != 0 ? Decompress(body.Span, basePosition, position - basePosition) : body;
            record = new LogRecord(position, basePosition + _offset, payload);
            return true;
        }
    }

    /// <summary>Closes the open segment.</summary>
    public void Dispose() => CloseSegment();

    private ReadOnlyMemory<byte> Decompress(ReadOnlySpan<byte> body, long basePosition, long offset)
    {
        if (!CompressedBody.TryGetOriginalLength(body, out var original))
        {
            throw new LogCorruptionException(SegmentName.For(basePosition), offset, "a compressed record has an impossible length");
        }

        if (_decompressed.Length < original)
        {
            _decompressed = new byte[Math.Max(original, _decompressed.Length * 2)];
        }

        if (!CompressedBody.TryDecode(body, _decompressed.AsSpan(0, original)))
        {
            throw new LogCorruptionException(SegmentName.For(basePosition), offset, "a compressed record does not decompress");
        }

        return _decompressed.AsMemory(0, original);
    }

    private void CloseSegment()
    {
        _file?.Dispose();
        _file = null;
        _reader = null;
    }
}
