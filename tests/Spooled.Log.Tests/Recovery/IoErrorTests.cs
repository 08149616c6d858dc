using Spooled.Testing;

namespace Spooled.Log.Tests.Recovery;

/// <summary>
/// I/O errors (reliability plan I7): a failed fsync fails every waiter of its batch and every later append, and
/// nothing unsynced is ever acknowledged; a full disk fails the same way and says so; after a crash the log
/// recovers every record acknowledged before the failure, and appends work again once there is room.
/// </summary>
public sealed class IoErrorTests
{
    private static readonly CrashMode[] s_crashModes =
        [CrashMode.DropUnsynced, CrashMode.KeepPrefix, CrashMode.Torn, CrashMode.Garbage, CrashMode.ZeroTail];

    [Fact]
    public async Task FailedFsync_FailsEveryWaiterOfItsBatch_AndEveryLaterAppend()
    {
        var disk = new SimulatedStorage();
        var process = new KillableStorage(disk);
        var log = SegmentedLog.Open(CrashScenarioRunner.Options(process));
        var acknowledged = new List<StoredRecord>();
        var id = 1;
        for (; id <= 5; id++)
        {
            var payload = Payload.Create(id, 100 + id, compressible: id % 2 == 0);
            acknowledged.Add(new StoredRecord(await log.AppendAsync(payload), payload));
        }

        // Hold the writer in the flush of one batch while three more appends are staged behind it.
        var first = process.PauseNextFlush();
        var second = process.PauseNextFlush();
        var heldPayload = Payload.Create(id++, 80, compressible: false);
        var held = log.AppendAsync(heldPayload).AsTask();
        await first.Reached.WaitAsync(TimeSpan.FromSeconds(30));
        var failing = Enumerable.Range(0, 3).Select(_ => log.AppendAsync(Payload.Create(id++, 90, compressible: false)).AsTask()).ToList();
        first.Release();
        acknowledged.Add(new StoredRecord(await held, heldPayload));

        // The writer now flushes the batch of those three: make that fsync fail, with two more appends staged behind it.
        await second.Reached.WaitAsync(TimeSpan.FromSeconds(30));
        var endBeforeFailure = log.EndPosition;
        disk.FailNextFlushes(1);
        var behind = Enumerable.Range(0, 2).Select(_ => log.AppendAsync(Payload.Create(id++, 70, compressible: true)).AsTask()).ToList();
        second.Release();

        foreach (var waiter in failing.Concat(behind))
        {
            var error = await Assert.ThrowsAsync<LogFailedException>(() => waiter);
            Assert.IsType<IOException>(error.InnerException);
            Assert.False(error.DiskFull);
        }

        Assert.IsType<LogFailedException>(log.Failure);
        var later = await Assert.ThrowsAsync<LogFailedException>(async () => await log.AppendAsync(Payload.Create(id++, 10, compressible: false)));
        Assert.Same(log.Failure, later);
        Assert.Equal(endBeforeFailure, log.EndPosition);
        Assert.True(DamageOracle.Same(acknowledged, StoredRecord.ReadAll(log)), "a reader must see exactly the acknowledged records");

        // Closing a failed log syncs nothing more and does not hang.
        await log.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        await CheckRecoveriesAsync(disk, acknowledged, maxId: id - 1, seeds: 8);
    }

    [Fact]
    public async Task FailedFsync_ThenReopenWithoutCrash_KeepsAcknowledgedRecords_AndAppendsWork()
    {
        var disk = new SimulatedStorage();
        var acknowledged = new List<StoredRecord>();
        await using (var log = SegmentedLog.Open(CrashScenarioRunner.Options(disk)))
        {
            for (var id = 1; id <= 20; id++)
            {
                var payload = Payload.Create(id, 150, compressible: id % 3 == 0);
                acknowledged.Add(new StoredRecord(await log.AppendAsync(payload), payload));
            }

            disk.FailNextFlushes(1);
            await Assert.ThrowsAsync<LogFailedException>(async () => await log.AppendAsync(Payload.Create(21, 150, compressible: false)));
            Assert.NotNull(log.Failure);
        }

        await CheckReopenAsync(disk, acknowledged, maxId: 21, "reopen after a failed fsync (no crash)");
    }

    [Fact]
    public async Task LyingFsync_ThenPowerLoss_LosesOnlyThatBatch_WhileAnHonestLaterFsyncCoversIt()
    {
        // A disk that acknowledges an fsync it did not do (fsyncgate) cannot be detected by the log; what the
        // log can promise is that everything acknowledged before the lie survives, and that recovery cuts the
        // lost batch cleanly rather than reporting corruption.
        var disk = new SimulatedStorage();
        var acknowledged = new List<StoredRecord>();
        await using (var log = SegmentedLog.Open(CrashScenarioRunner.Options(disk)))
        {
            for (var id = 1; id <= 10; id++)
            {
                var payload = Payload.Create(id, 120, compressible: false);
                acknowledged.Add(new StoredRecord(await log.AppendAsync(payload), payload));
            }

            disk.LieOnNextFlush(1);
            await log.AppendAsync(Payload.Create(11, 120, compressible: false));
            var lost = disk.Clone();
            lost.Crash(new Random(1), CrashMode.DropUnsynced);
            await CheckReopenAsync(lost, acknowledged, maxId: 11, "power loss after a lying fsync");

            // The next honest fsync makes the earlier batch durable too.
            var payload12 = Payload.Create(12, 120, compressible: true);
            var position12 = await log.AppendAsync(payload12);
            var covered = disk.Clone();
            covered.Crash(new Random(2), CrashMode.DropUnsynced);
            await using var recovered = SegmentedLog.Open(CrashScenarioRunner.Options(covered));
            var records = StoredRecord.ReadAll(recovered);
            Assert.Equal(Enumerable.Range(1, 12), records.Select(r => r.Id));
            Assert.Equal(position12, records[^1].Position);
        }
    }

    [Theory]
    [InlineData("directory sync")]
    [InlineData("write")]
    [InlineData("flush")]
    public async Task OtherIoErrors_FailTheLogTheSameWay_AndRecoveryKeepsEveryAcknowledgedRecord(string fault)
    {
        var disk = new SimulatedStorage();
        var acknowledged = new List<StoredRecord>();
        var log = SegmentedLog.Open(CrashScenarioRunner.Options(disk));
        var id = 1;
        for (; id <= 7; id++)
        {
            var payload = Payload.Create(id, 250, compressible: false);
            acknowledged.Add(new StoredRecord(await log.AppendAsync(payload), payload));
        }

        // The directory sync fails at the next segment roll; the write or flush at the next append.
        switch (fault)
        {
            case "directory sync":
                disk.FailNextDirectorySyncs(1);
                break;
            case "write":
                disk.FailWritesFrom(true);
                break;
            default:
                disk.FailNextFlushes(1);
                break;
        }

        LogFailedException? failure = null;
        for (; failure is null && id < 100; id++)
        {
            var payload = Payload.Create(id, 250, compressible: false);
            try
            {
                acknowledged.Add(new StoredRecord(await log.AppendAsync(payload), payload));
            }
            catch (LogFailedException error)
            {
                failure = error;
            }
        }

        Assert.NotNull(failure);
        Assert.Same(failure, log.Failure);
        Assert.False(failure.DiskFull);
        await Assert.ThrowsAsync<LogFailedException>(async () => await log.AppendAsync(Payload.Create(id, 10, compressible: false)));
        await log.DisposeAsync();
        disk.FailWritesFrom(false);
        await CheckRecoveriesAsync(disk, acknowledged, maxId: id - 1, seeds: 4);
        await CheckReopenAsync(disk.Clone(), acknowledged, maxId: id - 1, $"{fault} failure, reopened without a crash");
    }

    [Fact]
    public async Task DiskFull_FailsWithDiskFull_AcknowledgesOnlyDurableRecords_AndRecoversOnceThereIsRoom()
    {
        // Capacities from "full after a few records" to "full after several segments", so the disk fills up
        // inside record writes, marker writes and segment creation alike.
        var cases = 0;
        for (var capacity = 200L; capacity < 7000; capacity += 97)
        {
            await CheckDiskFullAsync(capacity, s_crashModes[cases % s_crashModes.Length], seed: cases);
            cases++;
        }
    }

    private static async Task CheckDiskFullAsync(long capacity, CrashMode mode, int seed)
    {
        var disk = new SimulatedStorage();
        disk.SetCapacity(capacity);
        var process = new KillableStorage(disk);
        var acknowledged = new List<StoredRecord>();
        var log = SegmentedLog.Open(CrashScenarioRunner.Options(process));
        LogFailedException? failure = null;
        var id = 1;
        for (; failure is null; id++)
        {
            Assert.True(id < 1000, $"capacity {capacity}: the disk never filled up");
            var payload = Payload.Create(id, 40 + (id * 37 % 300), compressible: id % 4 == 0);
            try
            {
                acknowledged.Add(new StoredRecord(await log.AppendAsync(payload), payload));
            }
            catch (LogFailedException error)
            {
                failure = error;
            }
        }

        var what = $"capacity {capacity}, crash {mode}";
        Assert.True(failure.DiskFull, $"{what}: {failure.Message}");
        Assert.Contains("disk is full", failure.Message, StringComparison.Ordinal);
        Assert.Same(failure, log.Failure);
        var later = await Assert.ThrowsAsync<LogFailedException>(async () => await log.AppendAsync(Payload.Create(id, 10, compressible: false)));
        Assert.True(later.DiskFull, what);
        process.Kill();
        await log.DisposeAsync();
        disk.Crash(new Random(seed), mode);
        disk.SetCapacity(long.MaxValue);
        await CheckReopenAsync(disk, acknowledged, maxId: id, what);
    }

    /// <summary>Crashes copies of <paramref name="disk"/> in every mode and checks each recovery.</summary>
    private static async Task CheckRecoveriesAsync(SimulatedStorage disk, List<StoredRecord> acknowledged, int maxId, int seeds)
    {
        foreach (var mode in s_crashModes)
        {
            for (var seed = 0; seed < seeds; seed++)
            {
                var copy = disk.Clone();
                copy.Crash(new Random(seed), mode);
                await CheckReopenAsync(copy, acknowledged, maxId, $"crash {mode} seed {seed}");
            }
        }
    }

    /// <summary>
    /// Opens <paramref name="disk"/>: every acknowledged record must be there, in order and intact, followed only by
    /// whole records appended later (never acknowledged: the failed ones); then an append must work and survive a reopen.
    /// </summary>
    private static async Task CheckReopenAsync(SimulatedStorage disk, List<StoredRecord> acknowledged, int maxId, string what)
    {
        List<StoredRecord> records;
        StoredRecord added;
        await using (var log = SegmentedLog.Open(CrashScenarioRunner.Options(disk)))
        {
            records = StoredRecord.ReadAll(log);
            Assert.True(
                records.Count >= acknowledged.Count && DamageOracle.Same(acknowledged, records[..acknowledged.Count]),
                $"{what}: recovered [{StoredRecord.Describe(records)}] but the acknowledged records are [{StoredRecord.Describe(acknowledged)}] ({log.Recovery}).");
            var extra = records[acknowledged.Count..];
            for (var i = 0; i < extra.Count; i++)
            {
                var expectedId = (acknowledged.Count > 0 ? acknowledged[^1].Id : 0) + 1 + i;
                Assert.True(
                    extra[i].Id == expectedId && expectedId <= maxId && IsPayloadOf(expectedId, extra[i].Payload),
                    $"{what}: unexpected record {extra[i]} after the acknowledged ones ({log.Recovery}).");
            }

            var payload = Payload.Create(5_000_000, 64, compressible: true);
            added = new StoredRecord(await log.AppendAsync(payload), payload);
        }

        await using var reopened = SegmentedLog.Open(CrashScenarioRunner.Options(disk));
        var again = StoredRecord.ReadAll(reopened);
        Assert.True(
            DamageOracle.Same([.. records, added], again) && reopened.Recovery.TornBytesTruncated == 0,
            $"{what}: after recovery and one append a reopen found [{StoredRecord.Describe(again)}] ({reopened.Recovery}).");
    }

    private static bool IsPayloadOf(int id, byte[] payload) =>
        payload.AsSpan().SequenceEqual(Payload.Create(id, payload.Length, compressible: false))
        || payload.AsSpan().SequenceEqual(Payload.Create(id, payload.Length, compressible: true));
}
