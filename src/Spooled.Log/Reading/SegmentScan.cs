using Spooled.Log.Format;

namespace Spooled.Log.Reading;

/// <summary>What a scan of one segment found: where valid data ends, the batch state there, and the first damage.</summary>
internal sealed class SegmentScan
{
    public required string Name { get; init; }

    public required long BasePosition { get; init; }

    public long FileLength { get; set; }

    /// <summary>Where the data ends: <see cref="FileLength"/>, or the start of a zero-filled (preallocated) tail.</summary>
    public long DataEnd { get; set; }

    /// <summary>Zero-filled bytes after <see cref="DataEnd"/> (preallocated space).</summary>
    public long ZeroTail => FileLength - DataEnd;

    /// <summary>The header, when it was valid.</summary>
    public SegmentHeader? Header { get; set; }

    /// <summary>Offset just after the last intact record (data or marker).</summary>
    public long ValidEnd { get; set; }

    /// <summary>Offset just after the last valid commit marker (or the header when there is none).</summary>
    public long ConfirmedEnd { get; set; }

    /// <summary>Sequence and chain of the last valid marker (from the header when there is none).</summary>
    public uint Sequence { get; set; }

    public uint Chain { get; set; }

    /// <summary>Intact data records after the last valid marker, and their running chain.</summary>
    public uint PendingCount { get; set; }

    public uint PendingChain { get; set; }

    public long DataRecords { get; set; }

    public long Batches { get; set; }

    /// <summary>Offset of the first damage, or -1.</summary>
    public long DamageOffset { get; set; } = -1;

    public string? DamageReason { get; set; }

    public bool Damaged => DamageOffset >= 0;
}
