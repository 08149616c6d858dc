using Spooled.Testing;

namespace Spooled.Log.Tests.Recovery;

/// <summary>Opens a damaged copy of a log and checks that recovery did what <see cref="DamageExpectation"/> says.</summary>
internal static class DamageOracle
{
    /// <summary>
    /// Flips bit <paramref name="bit"/> of byte <paramref name="offset"/> of segment <paramref name="segmentIndex"/> in a
    /// copy of <paramref name="disk"/> (whose log is closed or idle and fully synced), opens the copy with
    /// <paramref name="options"/>, and checks the outcome against <paramref name="intact"/> (every data record of the
    /// undamaged log). Returns the expectation it checked. When <paramref name="appendAfter"/>, an opened log must
    /// also take a new record and keep everything over a reopen.
    /// </summary>
    public static async Task<DamageExpectation> FlipAndCheckAsync(
        SimulatedStorage disk,
        LogLayout layout,
        int segmentIndex,
        long offset,
        int bit,
        Func<SimulatedStorage, LogOptions> options,
        IReadOnlyList<StoredRecord> intact,
        bool appendAfter)
    {
        var expectation = DamageExpectation.For(layout, segmentIndex, offset);
        var copy = disk.Clone();
        var name = layout.Segments[segmentIndex].Name;
        copy.CorruptAtRest(name, offset, (byte)(1 << bit));
        var what = $"{expectation} (bit {bit})";
        var damagedBytes = SnapshotFiles(copy);
        var kept = intact.Where(r => r.Position < expectation.KeepBelow).ToList();
        SegmentedLog log;
        try
        {
            log = SegmentedLog.Open(options(copy));
        }
        catch (LogCorruptionException error)
        {
            Assert.True(
                expectation.Outcome == DamageOutcome.Corruption,
                $"{what}: the log refused to open ({error.Reason}), but this damage must be handled as {expectation.Outcome}.");
            Assert.True(
                error.File == expectation.File && error.Offset == expectation.Offset,
                $"{what}: the corruption report names {error.File}+{error.Offset}.");
            Assert.True(SameFiles(damagedBytes, SnapshotFiles(copy)), $"{what}: a refused (strict) open changed the files.");
            return expectation;
        }

        await using (log)
        {
            var report = log.Recovery;
            var records = StoredRecord.ReadAll(log);
            Assert.True(
                expectation.Outcome != DamageOutcome.Corruption,
                $"{what}: the log opened ({report}) with {records.Count} of {intact.Count} records instead of refusing.");
            Assert.True(
                Same(kept, records),
                $"{what}: recovered [{StoredRecord.Describe(records)}] but exactly [{StoredRecord.Describe(kept)}] must survive ({report}).");
            if (expectation.Outcome == DamageOutcome.Torn)
            {
                Assert.True(
                    report.TornBytesTruncated == expectation.TornBytes && report.TornSegment == name && report.TornOffset == expectation.Offset,
                    $"{what}: report says '{report}', expected a cut of {expectation.TornBytes} byte(s) at {name}+{expectation.Offset}.");
            }
            else
            {
                Assert.True(
                    report.RemovedIncompleteSegment == name && report.TornBytesTruncated == 0,
                    $"{what}: report says '{report}', expected the removal of {name}.");
            }

            if (appendAfter)
            {
                var extra = Payload.Create(int.MaxValue, 40, compressible: false);
                var position = await log.AppendAsync(extra);
                kept.Add(new StoredRecord(position, extra));
            }
        }

        if (appendAfter)
        {
            await using var reopened = SegmentedLog.Open(options(copy));
            var again = StoredRecord.ReadAll(reopened);
            Assert.True(
                Same(kept, again) && reopened.Recovery.TornBytesTruncated == 0 && reopened.Recovery.RemovedIncompleteSegment is null,
                $"{what}: after recovery and one append, a reopen found [{StoredRecord.Describe(again)}] ({reopened.Recovery}), expected [{StoredRecord.Describe(kept)}].");
        }

        return expectation;
    }

    /// <summary>Whether two record lists hold the same positions and payloads.</summary>
    public static bool Same(IReadOnlyList<StoredRecord> expected, IReadOnlyList<StoredRecord> actual) =>
        expected.Count == actual.Count
        && expected.Zip(actual).All(pair => pair.First.Position == pair.Second.Position && pair.First.Payload.AsSpan().SequenceEqual(pair.Second.Payload));

    private static Dictionary<string, byte[]> SnapshotFiles(SimulatedStorage disk) =>
        disk.ListFiles().ToDictionary(name => name, disk.GetBytes, StringComparer.Ordinal);

    private static bool SameFiles(Dictionary<string, byte[]> before, Dictionary<string, byte[]> after) =>
        before.Count == after.Count && before.All(pair => after.TryGetValue(pair.Key, out var bytes) && bytes.AsSpan().SequenceEqual(pair.Value));
}
