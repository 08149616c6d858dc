using Spooled.Log.Format;
using Spooled.Log.Storage;

namespace Spooled.Log.Snapshots;

/// <summary>Receives a snapshot's blob piece by piece: appends each to the file and keeps the checksum.</summary>
public sealed class SnapshotSink
{
    private readonly ILogFile _file;
    private readonly long _start;
    private uint _crcState = Crc32C.Seed;

    internal SnapshotSink(ILogFile file, long start)
    {
        _file = file;
        _start = start;
    }

    /// <summary>Bytes received so far.</summary>
    public long Length { get; private set; }

    internal uint Crc => Crc32C.Finish(_crcState);

    /// <summary>Appends the next piece of the blob.</summary>
    public void Write(ReadOnlySpan<byte> piece)
    {
        _file.Write(_start + Length, piece);
        _crcState = Crc32C.Update(_crcState, piece);
        Length += piece.Length;
    }
}
