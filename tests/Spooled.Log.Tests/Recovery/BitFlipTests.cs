using Spooled.Log.Format;

namespace Spooled.Log.Tests.Recovery;

/// <summary>
/// Exhaustive bit flips in a closed reference log of three segments with several multi-record batches each:
/// every bit of every segment header, record header and commit marker, and one bit of every 7th body byte.
/// Damage in the final batch of the last segment is indistinguishable from a torn write (the documented limit)
/// and must be cut and reported with everything before the damaged record intact; damage anywhere else must
/// refuse to open, naming the segment and the damaged record (or header). A flip is never silently accepted.
/// </summary>
public sealed class BitFlipTests
{
    private static readonly Lazy<Task<ReferenceLog>> s_reference = new(() =>
        ReferenceLog.BuildAsync(segments: 3, lastBatches: 4, lastLength: 0, maxBatch: 4, maxSize: 120, seed: 11));

    [Fact]
    public async Task EveryBitOfEverySegmentHeader_IsRefused_OrRemovesOnlyAnEmptyLastSegment()
    {
        var reference = await ReferenceAsync();
        var outcomes = new Dictionary<DamageOutcome, int>();
        for (var segment = 0; segment < reference.Layout.Segments.Count; segment++)
        {
            for (var offset = 0L; offset < SegmentHeader.Size; offset++)
            {
                await FlipEveryBitAsync(reference, segment, offset, outcomes);
            }
        }

        // Every segment holds records, so no header damage can pass for an interrupted roll.
        Assert.Equal([DamageOutcome.Corruption], outcomes.Keys);
    }

    [Fact]
    public async Task EveryBitOfEveryRecordHeader_IsRefused_OrCutWhenInTheFinalBatch()
    {
        var reference = await ReferenceAsync();
        var outcomes = new Dictionary<DamageOutcome, int>();
        for (var segment = 0; segment < reference.Layout.Segments.Count; segment++)
        {
            foreach (var record in reference.Layout.Segments[segment].Records)
            {
                for (var offset = record.Offset; offset < record.Offset + RecordHeader.Size; offset++)
                {
                    await FlipEveryBitAsync(reference, segment, offset, outcomes);
                }
            }
        }

        Assert.True(outcomes.GetValueOrDefault(DamageOutcome.Torn) > 0 && outcomes.GetValueOrDefault(DamageOutcome.Corruption) > 0, Describe(outcomes));
    }

    [Fact]
    public async Task EveryBitOfEveryCommitMarkerBody_IsRefused_OrCutWhenInTheFinalBatch()
    {
        var reference = await ReferenceAsync();
        var outcomes = new Dictionary<DamageOutcome, int>();
        for (var segment = 0; segment < reference.Layout.Segments.Count; segment++)
        {
            foreach (var marker in reference.Layout.Segments[segment].Markers)
            {
                for (var offset = marker.Offset + RecordHeader.Size; offset < marker.End; offset++)
                {
                    await FlipEveryBitAsync(reference, segment, offset, outcomes);
                }
            }
        }

        Assert.True(outcomes.GetValueOrDefault(DamageOutcome.Torn) > 0 && outcomes.GetValueOrDefault(DamageOutcome.Corruption) > 0, Describe(outcomes));
    }

    [Fact]
    public async Task OneBitOfEverySeventhBodyByte_IsRefused_OrCutWhenInTheFinalBatch()
    {
        var reference = await ReferenceAsync();
        var outcomes = new Dictionary<DamageOutcome, int>();
        var sampled = 0L;
        for (var segment = 0; segment < reference.Layout.Segments.Count; segment++)
        {
            foreach (var record in reference.Layout.Segments[segment].DataRecords)
            {
                for (var offset = record.Offset + RecordHeader.Size; offset < record.End; offset++)
                {
                    if (sampled++ % 7 == 0)
                    {
                        var expectation = await DamageOracle.FlipAndCheckAsync(
                            reference.Disk, reference.Layout, segment, offset, (int)(sampled % 8), storage => CrashScenarioRunner.Options(storage), reference.Records, appendAfter: true);
                        outcomes[expectation.Outcome] = outcomes.GetValueOrDefault(expectation.Outcome) + 1;
                    }
                }
            }
        }

        Assert.True(outcomes.GetValueOrDefault(DamageOutcome.Torn) > 0 && outcomes.GetValueOrDefault(DamageOutcome.Corruption) > 0, Describe(outcomes));
    }

    private static async Task<ReferenceLog> ReferenceAsync()
    {
        var reference = await s_reference.Value;
        var layout = reference.Layout;
        Assert.True(layout.Segments.Count == 3, layout.ToString());
        Assert.All(layout.Segments, s => Assert.True(s.Markers.Count() >= 4, layout.ToString()));
        Assert.Contains(layout.Segments.SelectMany(s => s.Records), r => r.Compressed);
        return reference;
    }

    private static async Task FlipEveryBitAsync(ReferenceLog reference, int segment, long offset, Dictionary<DamageOutcome, int> outcomes)
    {
        for (var bit = 0; bit < 8; bit++)
        {
            var expectation = await DamageOracle.FlipAndCheckAsync(
                reference.Disk, reference.Layout, segment, offset, bit, storage => CrashScenarioRunner.Options(storage), reference.Records, appendAfter: true);
            outcomes[expectation.Outcome] = outcomes.GetValueOrDefault(expectation.Outcome) + 1;
        }
    }

    private static string Describe(Dictionary<DamageOutcome, int> outcomes) => string.Join(", ", outcomes.Select(pair => $"{pair.Key}: {pair.Value}"));
}
