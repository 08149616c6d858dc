using Spooled.Log.Format;
using Spooled.Log.Storage;

namespace Spooled.Log.Snapshots;

/// <summary>Receives a snapshot's blob piece by piece: appends each to the file and keeps the checksum.</summary>
public sealed class SnapshotSink
{
    private readonly ILogFile _file;
    private readonly long _start;
    private readonly long _maxLength;
    private uint _crcState = Crc32C.Seed;

    internal SnapshotSink(ILogFile file, long start, long maxLength)
    {
        _file = file;
        _start = start;
        _maxLength = maxLength;
    }

    /// <summary>Bytes received so far.</summary>
    public long Length { get; private set; }

    internal uint Crc => Crc32C.Finish(_crcState);

    /// <summary>
    /// Appends the next piece of the blob. Throws <see cref="InvalidOperationException"/> (and the
    /// snapshot is not stored) when the blob would outgrow what <see cref="SnapshotStore"/> can load
    /// back into one array: a snapshot that is written but cannot be read would let the segments it
    /// replaces be deleted.
    /// </summary>
    public void Write(ReadOnlySpan<byte> piece)
    {
        if (Length + piece.Length > _maxLength)
        {
            throw new InvalidOperationException($"A snapshot may hold at most {_maxLength} bytes; this one would exceed it.");
        }

        _file.Write(_start + Length, piece);
        _crcState = Crc32C.Update(_crcState, piece);
        Length += piece.Length;
    }
}
