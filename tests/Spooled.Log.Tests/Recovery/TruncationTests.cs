using Spooled.Log.Format;
using Spooled.Log.Storage;
using Spooled.Testing;

namespace Spooled.Log.Tests.Recovery;

/// <summary>
/// Exhaustive truncation: a reference log's last segment cut at every byte offset must recover exactly the
/// records that lie wholly before the cut (a data record whose commit marker was cut is adopted and sealed),
/// report the bytes cut, and go on taking appends that survive a reopen. A cut inside a segment that is not
/// the last one is corruption.
/// </summary>
public sealed class TruncationTests
{
    private static readonly Lazy<Task<ReferenceLog>> s_reference = new(() =>
        ReferenceLog.BuildAsync(segments: 3, lastBatches: 6, lastLength: 1500, maxBatch: 3, maxSize: 200, seed: 7));

    [Fact]
    public async Task CutAtEveryOffsetOfTheLastSegment_KeepsExactlyTheWholeRecords_AndReportsTheCut()
    {
        var reference = await s_reference.Value;
        var last = reference.Layout.Last;
        Assert.True(reference.Layout.Segments.Count >= 3, reference.Layout.ToString());
        Assert.Contains(last.Records, r => r.Compressed);
        Assert.Contains(last.Records, r => !r.IsMarker && !r.Compressed);
        for (var cut = 0L; cut <= last.Length; cut++)
        {
            await CheckCutOfLastSegmentAsync(reference, cut);
        }
    }

    [Fact]
    public async Task CutInsideASealedSegment_RefusesToOpen_NamingTheDamage()
    {
        var reference = await s_reference.Value;
        var segments = reference.Layout.Segments;
        for (var index = 0; index < segments.Count - 1; index++)
        {
            var segment = segments[index];
            var cuts = new SortedSet<long>();
            for (var offset = 0L; offset <= SegmentHeader.Size + RecordHeader.Size; offset++)
            {
                cuts.Add(offset);
            }

            foreach (var record in segment.Records)
            {
                foreach (var delta in new long[] { 0, 1, RecordHeader.Size - 1, RecordHeader.Size, record.Length - 1 })
                {
                    cuts.Add(record.Offset + delta);
                }
            }

            foreach (var cut in cuts.Where(c => c < segment.Length))
            {
                var copy = reference.Disk.Clone();
                Truncate(copy, segment.Name, cut);
                var (file, offset) = ExpectedCorruption(segments, index, cut);
                var error = Assert.Throws<LogCorruptionException>(() => SegmentedLog.Open(CrashScenarioRunner.Options(copy)).Dispose());
                Assert.True(
                    error.File == file && error.Offset == offset,
                    $"{segment.Name} cut at {cut}: the exception names {error.File}+{error.Offset} ({error.Reason}), expected {file}+{offset}.");
            }
        }
    }

    private static async Task CheckCutOfLastSegmentAsync(ReferenceLog reference, long cut)
    {
        var last = reference.Layout.Last;
        var copy = reference.Disk.Clone();
        Truncate(copy, last.Name, cut);
        string? removed = null;
        long keepBelow, expectedEnd, tornBytes = 0, tornOffset = 0, adopted = 0;
        if (cut < SegmentHeader.Size)
        {
            // The header is incomplete and no record can follow: left by an interrupted roll, so removed.
            removed = last.Name;
            keepBelow = last.BasePosition;
            expectedEnd = last.BasePosition;
        }
        else
        {
            var whole = last.Records.Where(r => r.End <= cut).ToList();
            var straddling = last.Records.FirstOrDefault(r => r.Offset < cut && r.End > cut);
            if (straddling is not null)
            {
                tornBytes = cut - straddling.Offset;
                tornOffset = straddling.Offset;
            }

            var lastMarker = whole.FindLastIndex(r => r.IsMarker);
            adopted = whole.Skip(lastMarker + 1).Count(r => !r.IsMarker);
            var wholeEnd = whole.Count > 0 ? whole[^1].End : SegmentHeader.Size;
            keepBelow = last.BasePosition + wholeEnd;
            expectedEnd = keepBelow + (adopted > 0 ? CommitMarker.RecordSize : 0);
        }

        var expected = reference.Records.Where(r => r.Position < keepBelow).ToList();
        var what = $"{last.Name} cut at {cut} of {last.Length}";
        StoredRecord added;
        await using (var log = SegmentedLog.Open(CrashScenarioRunner.Options(copy)))
        {
            var report = log.Recovery;
            Assert.True(
                report.TornBytesTruncated == tornBytes
                && (tornBytes == 0 || (report.TornSegment == last.Name && report.TornOffset == tornOffset))
                && report.RecordsAdopted == adopted
                && report.RemovedIncompleteSegment == removed
                && report.EndPosition == expectedEnd
                && log.EndPosition == expectedEnd,
                $"{what}: report '{report}', expected {tornBytes} byte(s) cut at {tornOffset}, {adopted} adopted, removed {removed ?? "nothing"}, end {expectedEnd}.");
            var records = StoredRecord.ReadAll(log);
            Assert.True(
                DamageOracle.Same(expected, records),
                $"{what}: recovered [{StoredRecord.Describe(records)}], expected [{StoredRecord.Describe(expected)}].");
            var payload = Payload.Create(1_000_000, 24, compressible: false);
            var position = await log.AppendAsync(payload);
            Assert.True(position >= expectedEnd, $"{what}: an append after recovery landed at {position}, before the end {expectedEnd}.");
            added = new StoredRecord(position, payload);
        }

        expected.Add(added);
        await using var reopened = SegmentedLog.Open(CrashScenarioRunner.Options(copy));
        var again = StoredRecord.ReadAll(reopened);
        Assert.True(
            DamageOracle.Same(expected, again)
            && reopened.Recovery.TornBytesTruncated == 0
            && reopened.Recovery.RecordsAdopted == 0
            && reopened.Recovery.RemovedIncompleteSegment is null,
            $"{what}: after recovery and one append a reopen found [{StoredRecord.Describe(again)}] ({reopened.Recovery}), expected [{StoredRecord.Describe(expected)}].");
    }

    /// <summary>Where recovery must report a cut at <paramref name="cut"/> of sealed segment <paramref name="index"/>.</summary>
    private static (string File, long Offset) ExpectedCorruption(IReadOnlyList<SegmentLayout> segments, int index, long cut)
    {
        var segment = segments[index];
        if (cut < SegmentHeader.Size)
        {
            return (segment.Name, 0);
        }

        var straddling = segment.Records.FirstOrDefault(r => r.Offset < cut && r.End > cut);
        if (straddling is not null)
        {
            return (segment.Name, straddling.Offset);
        }

        var whole = segment.Records.Where(r => r.End <= cut).ToList();
        if (whole.Count > 0 && !whole[^1].IsMarker)
        {
            // Records after the last marker of a sealed segment.
            var lastMarker = whole.FindLastIndex(r => r.IsMarker);
            return (segment.Name, lastMarker >= 0 ? whole[lastMarker].End : SegmentHeader.Size);
        }

        // Cut cleanly after a marker: the segment itself reads as intact, but the next one no longer follows it.
        return (segments[index + 1].Name, 0);
    }

    private static void Truncate(SimulatedStorage disk, string name, long length)
    {
        using var file = disk.Open(name, LogFileMode.ReadWrite);
        file.Truncate(length);
        file.Flush();
    }
}
