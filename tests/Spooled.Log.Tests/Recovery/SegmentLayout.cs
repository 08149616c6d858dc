using Spooled.Log.Format;

namespace Spooled.Log.Tests.Recovery;

/// <summary>The records of one segment file, as <see cref="LogLayout"/> parsed them.</summary>
internal sealed record SegmentLayout(string Name, long BasePosition, long Length, IReadOnlyList<RecordSpan> Records, bool ZeroFilledAfterIntactEnd = false)
{
    /// <summary>Offset just after the last intact record (or the header).</summary>
    public long IntactEnd => Records.Count > 0 ? Records[^1].End : SegmentHeader.Size;

    /// <summary>Index of the last batch closed by a marker, or -1 when no marker is present.</summary>
    public int FinalBatch => Records.LastOrDefault(r => r.IsMarker)?.Batch ?? -1;

    public IEnumerable<RecordSpan> DataRecords => Records.Where(r => !r.IsMarker);

    public IEnumerable<RecordSpan> Markers => Records.Where(r => r.IsMarker);

    /// <summary>The record holding byte <paramref name="offset"/>, or null (header, or past the intact records).</summary>
    public RecordSpan? RecordAt(long offset) => Records.FirstOrDefault(r => r.Contains(offset));
}
