using Spooled.Testing;

namespace Spooled.Log.Tests.Log;

public sealed class DurabilityPolicyTests
{
    private static async Task<long> AppendMany(SegmentedLog log, int count)
    {
        var last = 0L;
        for (var i = 0; i < count; i++)
        {
            last = await log.AppendAsync(new byte[] { (byte)i, 1, 2, 3 });
        }

        return last;
    }

    [Fact]
    public async Task Fsync_EveryAcknowledgedAppend_IsDurableBeforeItCompletes()
    {
        var storage = new SimulatedStorage();
        await using (var log = SegmentedLog.Open(new LogOptions { Storage = storage, Durability = DurabilityPolicy.Fsync }))
        {
            await AppendMany(log, 50);

            // Crash without closing: only what was synced survives.
            storage.Crash(new Random(1), CrashMode.DropUnsynced);
        }

        await using var reopened = SegmentedLog.Open(new LogOptions { Storage = storage });
        Assert.Equal(50, reopened.Recovery.Records);
    }

    [Fact]
    public async Task None_AppendsWithoutSyncing_AndSyncsOnClose()
    {
        var storage = new SimulatedStorage();
        var log = SegmentedLog.Open(new LogOptions { Storage = storage, Durability = DurabilityPolicy.None, PreallocateSegments = false });
        var flushesAfterOpen = storage.FlushCount;
        await AppendMany(log, 100);
        Assert.Equal(flushesAfterOpen, storage.FlushCount);
        await log.DisposeAsync();
        Assert.True(storage.FlushCount > flushesAfterOpen, "a clean close syncs");
        storage.Crash(new Random(2), CrashMode.DropUnsynced);
        await using var reopened = SegmentedLog.Open(new LogOptions { Storage = storage });
        Assert.Equal(100, reopened.Recovery.Records);
    }

    [Fact]
    public async Task Interval_AcknowledgesBeforeTheSync()
    {
        var storage = new SimulatedStorage();
        await using var log = SegmentedLog.Open(new LogOptions { Storage = storage, Durability = DurabilityPolicy.Interval(60_000), PreallocateSegments = false });
        await AppendMany(log, 1); // The first batch syncs: no sync has happened in this interval yet.
        var flushes = storage.FlushCount;
        await AppendMany(log, 20);
        Assert.Equal(flushes, storage.FlushCount);
        var segment = storage.ListFiles().Single(n => n.EndsWith(".seg", StringComparison.Ordinal));
        Assert.True(storage.GetDurableBytes(segment).Length < storage.GetBytes(segment).Length, "acknowledged but not yet durable");
    }

    [Fact]
    public async Task Interval_IdleDirtyData_IsSyncedWithinTheInterval()
    {
        var storage = new SimulatedStorage();
        await using var log = SegmentedLog.Open(new LogOptions { Storage = storage, Durability = DurabilityPolicy.Interval(50) });
        await AppendMany(log, 21);
        var segment = storage.ListFiles().Single(n => n.EndsWith(".seg", StringComparison.Ordinal));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (storage.GetDurableBytes(segment).Length < storage.GetBytes(segment).Length && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(storage.GetBytes(segment).Length, storage.GetDurableBytes(segment).Length);
        storage.Crash(new Random(3), CrashMode.DropUnsynced);
        await using var reopened = SegmentedLog.Open(new LogOptions { Storage = storage });
        Assert.Equal(21, reopened.Recovery.Records);
    }
}
