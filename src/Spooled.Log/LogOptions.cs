using Spooled.Log.Format;
using Spooled.Log.Storage;

namespace Spooled.Log;

/// <summary>Settings of a <see cref="SegmentedLog"/>; validated when the log opens.</summary>
public sealed class LogOptions
{
    /// <summary>Where the log keeps its files (segments and snapshots). Required.</summary>
    public required ILogStorage Storage { get; init; }

    /// <summary>When appends are acknowledged. Default <see cref="DurabilityPolicy.Fsync"/>.</summary>
    public DurabilityPolicy Durability { get; init; } = DurabilityPolicy.Fsync;

    /// <summary>Largest segment file in bytes before rolling to a new one. Default 64 MiB.</summary>
    public long SegmentSize { get; init; } = 64L * 1024 * 1024;

    /// <summary>Largest record accepted by an append, in bytes before compression. Default 4 MiB.</summary>
    public int MaxRecordSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>Records at least this long are LZ4-compressed when that saves at least an eighth. 0 disables. Default 4 KiB.</summary>
    public int CompressionThreshold { get; init; } = 4096;

    /// <summary>What to do on damage that is not a torn final batch. Default <see cref="RecoveryMode.Strict"/>.</summary>
    public RecoveryMode Recovery { get; init; } = RecoveryMode.Strict;

    /// <summary>
    /// Prepare each next segment in the background, zero-filled to <see cref="SegmentSize"/> and synced,
    /// so that syncs overwrite allocated space instead of growing the file. Default on.
    /// </summary>
    public bool PreallocateSegments { get; init; } = true;

    /// <summary>Clock for the <see cref="DurabilityMode.Interval"/> policy. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Options for a log in a directory of the local file system, with defaults otherwise.</summary>
    public static LogOptions ForDirectory(string directory) => new() { Storage = new FileLogStorage(directory) };

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Storage);
        ArgumentNullException.ThrowIfNull(Durability);
        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRecordSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxRecordSize, 1024 * 1024 * 1024);
        ArgumentOutOfRangeException.ThrowIfNegative(CompressionThreshold);
        var smallest = SegmentHeader.Size + RecordHeader.Size + (long)MaxRecordSize + 8 + CommitMarker.RecordSize;
        if (SegmentSize < smallest)
        {
            throw new ArgumentOutOfRangeException(nameof(SegmentSize), SegmentSize, $"A segment must hold at least one record of MaxRecordSize: at least {smallest} bytes.");
        }
    }
}
