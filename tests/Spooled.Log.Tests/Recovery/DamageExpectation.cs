using Spooled.Log.Format;

namespace Spooled.Log.Tests.Recovery;

/// <summary>
/// What the recovery policy (see SegmentedLog.Recovery.cs) requires for damage to byte <paramref name="DamagedOffset"/>
/// of segment <paramref name="File"/>.
/// </summary>
/// <param name="Outcome">Refuse, cut, or remove the segment.</param>
/// <param name="File">The segment the exception or report must name.</param>
/// <param name="Offset">The offset the exception or report must name: the damaged record's, or 0 for a header.</param>
/// <param name="DamagedOffset">The byte that was damaged.</param>
/// <param name="KeepBelow">For <see cref="DamageOutcome.Torn"/> and <see cref="DamageOutcome.RemovedSegment"/>: exactly the records before this log position survive.</param>
/// <param name="TornBytes">For <see cref="DamageOutcome.Torn"/>: the bytes the report must say were cut.</param>
/// <param name="Where">The damaged structure, for messages.</param>
internal sealed record DamageExpectation(DamageOutcome Outcome, string File, long Offset, long DamagedOffset, long KeepBelow, long TornBytes, string Where)
{
    /// <summary>
    /// The policy, restated from the layout: damage in a segment that is not the last is corruption; in the last
    /// segment, a damaged header is corruption when the segment holds any record and an interrupted roll otherwise;
    /// damage in the final batch (the records up to and including the last commit marker, and any after it) is a
    /// torn write; damage in any earlier batch is corruption, because the next batch was written only after it
    /// had been synced.
    /// </summary>
    public static DamageExpectation For(LogLayout layout, int segmentIndex, long offset)
    {
        var segment = layout.Segments[segmentIndex];
        var isLast = segmentIndex == layout.Segments.Count - 1;
        if (offset < SegmentHeader.Size)
        {
            var where = $"header byte {offset} of {(isLast ? "last" : "sealed")} segment {segment.Name}";
            if (isLast && segment.Records.Count == 0 && (segmentIndex > 0 || segment.BasePosition == 0))
            {
                return new DamageExpectation(DamageOutcome.RemovedSegment, segment.Name, 0, offset, segment.BasePosition, 0, where);
            }

            return new DamageExpectation(DamageOutcome.Corruption, segment.Name, 0, offset, 0, 0, where);
        }

        if (isLast && segment.ZeroFilledAfterIntactEnd && offset >= segment.IntactEnd)
        {
            // A bit set in preallocated space: recovery cannot tell it from a torn write there and cuts
            // from the end of the data, keeping every record.
            return new DamageExpectation(DamageOutcome.Torn, segment.Name, segment.IntactEnd, offset, segment.BasePosition + segment.IntactEnd, segment.Length - segment.IntactEnd, $"byte {offset} of the preallocated space of last segment {segment.Name}");
        }

        var record = segment.RecordAt(offset)
            ?? throw new InvalidOperationException($"Byte {offset} of {segment.Name} is in no intact record; the layout is:{Environment.NewLine}{layout}");
        var kind = record.IsMarker ? "marker" : "data record";
        var description = $"byte {offset - record.Offset} of the {kind} at offset {record.Offset} (batch {record.Batch}) of {(isLast ? "last" : "sealed")} segment {segment.Name}";
        if (isLast && record.Batch >= segment.FinalBatch)
        {
            return new DamageExpectation(DamageOutcome.Torn, segment.Name, record.Offset, offset, segment.BasePosition + record.Offset, segment.Length - record.Offset, description + ", in the final batch");
        }

        return new DamageExpectation(DamageOutcome.Corruption, segment.Name, record.Offset, offset, 0, 0, description);
    }

    public override string ToString() => $"{Where}: expect {Outcome} at {File}+{Offset}";
}
