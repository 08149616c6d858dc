using Spooled.Testing;

namespace Spooled.Log.Tests.Recovery;

/// <summary>
/// <see cref="RecoveryMode.Repair"/> on real damage: it cuts from the damage on, keeps a copy of every byte cut,
/// leaves a log that opens strictly, and (reliability plan I8) a repair interrupted at any point by a process
/// kill must be completed by the next open.
/// </summary>
public sealed class RepairCrashTests
{
    private static readonly Lazy<Task<ReferenceLog>> s_reference = new(() =>
        ReferenceLog.BuildAsync(segments: 3, lastBatches: 3, lastLength: 0, maxBatch: 3, maxSize: 150, seed: 5));

    [Fact]
    public async Task Repair_OfDamageInASealedSegment_CutsFromTheDamagedRecord_KeepsCopies_AndTheResultOpensStrictly()
    {
        var (disk, damaged, expected) = await DamagedCopyAsync();
        var cutBytes = TotalBytesFrom(disk, damaged);
        await using (var log = SegmentedLog.Open(RepairOptions(disk)))
        {
            var report = log.Recovery;
            Assert.NotNull(report.RepairedCorruption);
            Assert.Equal((damaged.Segment.Name, damaged.Record.Offset), (report.RepairedCorruption.File, report.RepairedCorruption.Offset));
            Assert.Equal(cutBytes, report.RepairedBytes);
            Assert.Equal(cutBytes, report.RepairCopies.Sum(name => (long)disk.GetBytes(name).Length));
            Assert.True(DamageOracle.Same(expected, StoredRecord.ReadAll(log)), $"repair kept [{StoredRecord.Describe(StoredRecord.ReadAll(log))}] ({report}).");
            await log.AppendAsync(Payload.Create(4242, 100, compressible: false));
        }

        await using var strict = SegmentedLog.Open(CrashScenarioRunner.Options(disk));
        Assert.Equal(expected.Count + 1, StoredRecord.ReadAll(strict).Count);
    }

    [Fact]
    public async Task Repair_KilledAtAnyDiskOperation_IsCompletedByTheNextOpen()
    {
        var (baseline, _, expected) = await DamagedCopyAsync();
        var failures = new List<string>();
        for (var killAfter = 0; ; killAfter++)
        {
            var disk = baseline.Clone();
            var process = new KillableStorage(disk);
            try
            {
                process.KillAfter(killAfter);
                SegmentedLog.Open(RepairOptions(process)).Dispose();
                break; // The repair needed fewer operations: every interruption point was tried.
            }
            catch (IOException) when (process.IsDead)
            {
            }

            // A process kill (the page cache survives): the next open, in repair mode again, must finish the job
            // and keep what an uninterrupted repair keeps.
            var journal = string.Join("; ", disk.Journal.Skip(baseline.Journal.Count));
            try
            {
                await using var log = SegmentedLog.Open(RepairOptions(disk));
                var records = StoredRecord.ReadAll(log);
                if (!DamageOracle.Same(expected, records))
                {
                    failures.Add($"killed after {killAfter} op(s) [{journal}]: the completed repair kept {records.Count} record(s) where an uninterrupted one keeps {expected.Count} ({log.Recovery}).");
                }
            }
            catch (Exception error) when (error is IOException or LogCorruptionException)
            {
                failures.Add($"killed after {killAfter} op(s) [{journal}]: the next repair cannot open the log: {error.GetType().Name}: {error.Message}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static LogOptions RepairOptions(Spooled.Log.Storage.ILogStorage storage) => new()
    {
        Storage = storage,
        SegmentSize = CrashScenarioRunner.SegmentSize,
        MaxRecordSize = CrashScenarioRunner.MaxRecordSize,
        CompressionThreshold = CrashScenarioRunner.CompressionThreshold,
        Recovery = RecoveryMode.Repair,
    };

    /// <summary>The reference log with one bit flipped in the second data record of its first (sealed) segment.</summary>
    private static async Task<(SimulatedStorage Disk, (SegmentLayout Segment, RecordSpan Record) Damaged, List<StoredRecord> Expected)> DamagedCopyAsync()
    {
        var reference = await s_reference.Value;
        var segment = reference.Layout.Segments[0];
        var record = segment.DataRecords.Skip(1).First();
        var disk = reference.Disk.Clone();
        disk.CorruptAtRest(segment.Name, record.Offset + 20, 0x04);
        var expected = reference.Records.Where(r => r.Position < segment.BasePosition + record.Offset).ToList();
        return (disk, (segment, record), expected);
    }

    /// <summary>Bytes from the damaged record to the end of the log: what a repair must cut and copy.</summary>
    private static long TotalBytesFrom(SimulatedStorage disk, (SegmentLayout Segment, RecordSpan Record) damaged) =>
        LogLayout.Read(disk).Segments.Where(s => s.BasePosition > damaged.Segment.BasePosition).Sum(s => s.Length)
        + (damaged.Segment.Length - damaged.Record.Offset);
}
