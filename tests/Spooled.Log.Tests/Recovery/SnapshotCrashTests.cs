using Spooled.Log.Snapshots;
using Spooled.Testing;

namespace Spooled.Log.Tests.Recovery;

/// <summary>
/// Snapshots and segment deletion under power loss (reliability plan I9, F11): a snapshot is visible only
/// whole, survives any crash once written, falls back past a damaged newer one, and deleting the segments
/// before it keeps the log readable from its position.
/// </summary>
public sealed class SnapshotCrashTests
{
    private static readonly CrashMode[] s_crashModes = Enum.GetValues<CrashMode>();

    [Fact]
    public async Task StreamedSnapshot_TooLargeToLoad_IsRefusedAndLeavesNothing()
    {
        var disk = new SimulatedStorage();
        var first = Blob(1, 700);
        await using var log = SegmentedLog.Open(CrashScenarioRunner.Options(disk));
        await AppendRecordsAsync(log, 1, 10);
        log.Snapshots.Write(100, first);
        log.Snapshots.MaxBlobLength = 2000;
        var filesBefore = disk.ListFiles().Count;

        var error = Assert.Throws<InvalidOperationException>(() => log.Snapshots.Write(200, sink =>
        {
            for (var i = 0; i < 3; i++)
            {
                sink.Write(Blob(2 + i, 700));
            }
        }));

        Assert.Contains("at most 2000 bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(filesBefore, disk.ListFiles().Count);
        var loaded = log.Snapshots.LoadLatest(out var skipped);
        Assert.True(loaded is not null && loaded.Position == 100 && loaded.Data.Span.SequenceEqual(first), $"loaded {Describe(loaded)}.");
        Assert.Empty(skipped);

        // Exactly at the limit is still stored.
        var length = log.Snapshots.Write(300, sink => sink.Write(Blob(9, 2000)));
        Assert.Equal(2000, length);
        Assert.Equal(300, log.Snapshots.LoadLatest()!.Position);
    }

    [Fact]
    public async Task WrittenSnapshot_SurvivesEveryCrashMode()
    {
        var disk = new SimulatedStorage();
        var first = Blob(1, 700);
        var second = Blob(2, 3000);
        await using (var log = SegmentedLog.Open(CrashScenarioRunner.Options(disk)))
        {
            await AppendRecordsAsync(log, 1, 30);
            log.Snapshots.Write(100, first);
            await AppendRecordsAsync(log, 31, 5);
            log.Snapshots.Write(200, second);

            // Unsynced log writes in flight at the crash must not matter to the snapshot.
            _ = log.AppendAsync(Payload.Create(99, 300, compressible: false)).AsTask();
        }

        foreach (var mode in s_crashModes)
        {
            for (var seed = 0; seed < 10; seed++)
            {
                var copy = disk.Clone();
                copy.Crash(new Random(seed), mode);
                await using var log = SegmentedLog.Open(CrashScenarioRunner.Options(copy));
                var loaded = log.Snapshots.LoadLatest(out var skipped);
                Assert.True(loaded is not null && loaded.Position == 200 && loaded.Data.Span.SequenceEqual(second), $"crash {mode} seed {seed}: loaded {Describe(loaded)}.");
                Assert.Empty(skipped);
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PowerLossAtEveryDiskOperationOfASnapshotWrite_NeverExposesAPartialSnapshot(bool streamed)
    {
        var previous = Blob(1, 1500);
        var next = Blob(2, 5000);
        var baseline = new SimulatedStorage();
        await using (var log = SegmentedLog.Open(CrashScenarioRunner.Options(baseline)))
        {
            await AppendRecordsAsync(log, 1, 10);
            log.Snapshots.Write(50, Blob(0, 800));
            log.Snapshots.Write(100, previous);
        }

        for (var killAfter = 0; ; killAfter++)
        {
            var disk = baseline.Clone();
            var process = new KillableStorage(disk);
            var log = SegmentedLog.Open(CrashScenarioRunner.Options(process));
            process.KillAfter(killAfter);
            var returned = false;
            try
            {
                if (streamed)
                {
                    // In uneven pieces, as a serializer hands them over.
                    var length = log.Snapshots.Write(300, sink =>
                    {
                        for (var at = 0; at < next.Length; at += 700)
                        {
                            sink.Write(next.AsSpan(at, Math.Min(700, next.Length - at)));
                        }
                    });
                    Assert.Equal(next.Length, length);
                }
                else
                {
                    log.Snapshots.Write(300, next);
                }

                returned = true;
            }
            catch (IOException) when (process.IsDead)
            {
            }

            process.Kill();
            await log.DisposeAsync();
            foreach (var mode in s_crashModes)
            {
                for (var seed = 0; seed < 6; seed++)
                {
                    var copy = disk.Clone();
                    copy.Crash(new Random(seed), mode);
                    var what = $"killed after {killAfter} op(s) of the write{(returned ? " (it returned)" : "")}, crash {mode} seed {seed}";
                    await using var reopened = SegmentedLog.Open(CrashScenarioRunner.Options(copy));
                    var loaded = reopened.Snapshots.LoadLatest(out var skipped);
                    var isNext = loaded is not null && loaded.Position == 300 && loaded.Data.Span.SequenceEqual(next);
                    var isPrevious = loaded is not null && loaded.Position == 100 && loaded.Data.Span.SequenceEqual(previous);
                    Assert.True(returned ? isNext : isNext || isPrevious, $"{what}: loaded {Describe(loaded)}.");
                    Assert.True(skipped.Count == 0, $"{what}: a partial snapshot was visible: {string.Join(", ", skipped)}.");
                    Assert.DoesNotContain(copy.ListFiles(), name => name.EndsWith(".tmp", StringComparison.Ordinal));
                    Assert.Equal(10, StoredRecord.ReadAll(reopened).Count);
                }
            }

            if (returned)
            {
                Assert.True(killAfter >= 5, $"a snapshot write made only {killAfter} disk operations");
                break;
            }
        }
    }

    [Fact]
    public async Task DamagedNewestSnapshot_FallsBackToTheOlder_AndReportsTheDamagedOneSkipped()
    {
        var older = Blob(1, 600);
        var newer = Blob(2, 900);
        var disk = new SimulatedStorage();
        await using (var log = SegmentedLog.Open(CrashScenarioRunner.Options(disk)))
        {
            await AppendRecordsAsync(log, 1, 5);
            log.Snapshots.Write(100, older);
            log.Snapshots.Write(200, newer);
        }

        var newerName = SnapshotStore.NameFor(200);
        var olderName = SnapshotStore.NameFor(100);
        var length = disk.GetBytes(newerName).Length;
        for (var offset = 0; offset < length; offset += offset < 32 ? 1 : 13)
        {
            var copy = disk.Clone();
            copy.CorruptAtRest(newerName, offset, (byte)(1 << (offset % 8)));
            await using var log = SegmentedLog.Open(CrashScenarioRunner.Options(copy));
            var loaded = log.Snapshots.LoadLatest(out var skipped);
            Assert.True(loaded is not null && loaded.Position == 100 && loaded.Data.Span.SequenceEqual(older), $"byte {offset} of the newer snapshot flipped: loaded {Describe(loaded)}.");
            Assert.Equal([newerName], skipped);

            // Both damaged: nothing to load, both reported.
            copy.CorruptAtRest(olderName, offset % disk.GetBytes(olderName).Length, 0x10);
            Assert.Null(log.Snapshots.LoadLatest(out var bothSkipped));
            Assert.Equal([newerName, olderName], bothSkipped);
        }
    }

    [Fact]
    public async Task DeleteSegmentsBefore_DeletesOnlySegmentsWhollyBeforeThePosition_NeverTheActiveOne_AndReadingFromThereSurvivesCrashes()
    {
        var baseline = new SimulatedStorage();
        List<StoredRecord> all;
        await using (var log = SegmentedLog.Open(CrashScenarioRunner.Options(baseline)))
        {
            for (var id = 1; log.SegmentBasePositions().Count < 6; id++)
            {
                await log.AppendAsync(Payload.Create(id, 50 + (id * 71 % 400), id % 3 == 0));
            }

            all = StoredRecord.ReadAll(log);
        }

        var bases = LogLayout.Read(baseline).Segments.Select(s => s.BasePosition).ToList();

        // Every 5th record position, every segment base, and past the end.
        var positions = all.Where((_, i) => i % 5 == 0).Select(r => r.Position).Concat(bases).Append(long.MaxValue).Distinct().ToList();
        var round = 0;
        foreach (var position in positions)
        {
            var disk = baseline.Clone();
            var expectedRemaining = bases.Where((b, i) => i == bases.Count - 1 || bases[i + 1] > position).ToList();
            var what = $"DeleteSegmentsBefore({position}) over segments [{string.Join(", ", bases)}]";
            var expectedTail = all.Where(r => r.Position >= position).ToList();
            var readFrom = position == long.MaxValue ? (long?)null : all.FirstOrDefault(r => r.Position >= position)?.Position;
            await using (var log = SegmentedLog.Open(CrashScenarioRunner.Options(disk)))
            {
                var snapshot = Blob(round, 400);
                if (readFrom is { } at)
                {
                    log.Snapshots.Write(at, snapshot);
                }

                var deleted = log.DeleteSegmentsBefore(position);
                Assert.True(deleted == bases.Count - expectedRemaining.Count, $"{what}: deleted {deleted}.");
                Assert.Equal(expectedRemaining, log.SegmentBasePositions());
                Assert.Equal(expectedRemaining[0], log.StartPosition);
                if (readFrom is { } from)
                {
                    Assert.True(DamageOracle.Same(expectedTail, StoredRecord.ReadFrom(log, from)), $"{what}: reading from {from} after deletion.");
                }
            }

            // The deletion was synced: no crash brings a deleted segment back, and the tail stays readable.
            var mode = s_crashModes[round % s_crashModes.Length];
            disk.Crash(new Random(round), mode);
            await using (var log = SegmentedLog.Open(CrashScenarioRunner.Options(disk)))
            {
                Assert.True(expectedRemaining.SequenceEqual(log.SegmentBasePositions()), $"{what}, then crash {mode}: segments [{string.Join(", ", log.SegmentBasePositions())}].");
                Assert.Equal(0, log.Recovery.TornBytesTruncated);
                if (readFrom is { } from)
                {
                    var loaded = log.Snapshots.LoadLatest();
                    Assert.True(loaded is not null && loaded.Position == from, $"{what}, then crash {mode}: loaded {Describe(loaded)}.");
                    Assert.True(DamageOracle.Same(expectedTail, StoredRecord.ReadFrom(log, loaded.Position)), $"{what}, then crash {mode}: reading from the snapshot position.");
                }

                var payload = Payload.Create(77_777, 120, compressible: false);
                var added = await log.AppendAsync(payload);
                Assert.Equal(payload, StoredRecord.ReadFrom(log, added)[0].Payload);
            }

            round++;
        }
    }

    private static async Task AppendRecordsAsync(SegmentedLog log, int firstId, int count)
    {
        for (var id = firstId; id < firstId + count; id++)
        {
            await log.AppendAsync(Payload.Create(id, 20 + (id * 97 % 500), id % 4 == 0));
        }
    }

    private static byte[] Blob(int seed, int length)
    {
        var blob = new byte[length];
#pragma warning disable CA5394 // Test data, not security.
        new Random(seed).NextBytes(blob);
#pragma warning restore CA5394
        return blob;
    }

    private static string Describe(Snapshot? snapshot) => snapshot is null ? "nothing" : $"the snapshot at {snapshot.Position} ({snapshot.Data.Length} B)";
}
