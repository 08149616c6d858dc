using Spooled.Log.Format;
using Spooled.Testing;

namespace Spooled.Log.Tests.Log;

public sealed class RepairModeTests
{
    private static async Task<SimulatedStorage> ThreeSegments()
    {
        var storage = new SimulatedStorage();
        await using var log = SegmentedLog.Open(new LogOptions { Storage = storage, SegmentSize = 2048, MaxRecordSize = 400 });
        for (var i = 0; i < 60; i++)
        {
            await log.AppendAsync(new byte[100 + i]);
        }

        Assert.True(log.SegmentBasePositions().Count >= 3);
        return storage;
    }

    private static string FirstSegment(SimulatedStorage storage) =>
        storage.ListFiles().Where(n => n.EndsWith(".seg", StringComparison.Ordinal)).Order(StringComparer.Ordinal).First();

    [Fact]
    public async Task Strict_CorruptionInASealedSegment_RefusesToOpenNamingFileAndOffset()
    {
        var storage = await ThreeSegments();
        var first = FirstSegment(storage);
        var offset = SegmentHeader.Size + RecordHeader.Size + 10; // inside the first record's body
        storage.CorruptAtRest(first, offset, 0x40);
        var error = Assert.Throws<LogCorruptionException>(() => SegmentedLog.Open(new LogOptions { Storage = storage, SegmentSize = 2048, MaxRecordSize = 400 }));
        Assert.Equal(first, error.File);
        Assert.Equal(SegmentHeader.Size, error.Offset);
        Assert.Contains(first, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repair_CutsFromTheDamage_KeepsACopy_AndOpens()
    {
        var storage = await ThreeSegments();
        var first = FirstSegment(storage);
        var firstLength = storage.GetBytes(first).Length;
        var damageAt = firstLength - 20; // inside the first segment's last batch
        var totalBefore = storage.ListFiles().Where(n => n.EndsWith(".seg", StringComparison.Ordinal)).Sum(n => (long)storage.GetBytes(n).Length);
        storage.CorruptAtRest(first, damageAt, 0x01);

        await using var log = SegmentedLog.Open(new LogOptions { Storage = storage, SegmentSize = 2048, MaxRecordSize = 400, Recovery = RecoveryMode.Repair });
        var report = log.Recovery;
        Assert.NotNull(report.RepairedCorruption);
        Assert.Equal(first, report.RepairedCorruption!.File);
        Assert.NotEmpty(report.RepairCopies);
        Assert.All(report.RepairCopies, name => Assert.True(storage.Exists(name), name));
        Assert.Single(log.SegmentBasePositions());

        // Nothing vanished: what the log kept plus the copies is everything there was.
        var kept = storage.GetBytes(first).Length;
        var copied = report.RepairCopies.Sum(n => (long)storage.GetBytes(n).Length);
        Assert.Equal(report.RepairedBytes, copied);
        Assert.True(kept + copied >= totalBefore, $"kept {kept} + copied {copied} < {totalBefore}");

        // The repaired log reads cleanly and takes appends that survive a reopen.
        var position = await log.AppendAsync("after repair"u8.ToArray());
        await log.DisposeAsync();
        await using var reopened = SegmentedLog.Open(new LogOptions { Storage = storage, SegmentSize = 2048, MaxRecordSize = 400 });
        using var reader = reopened.ReadFrom(position);
        Assert.True(reader.TryRead(out var record));
        Assert.Equal("after repair"u8.ToArray(), record.Payload.ToArray());
    }
}
