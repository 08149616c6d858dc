using Spooled.Log.Format;
using Spooled.Log.Storage;
using Spooled.Log.Writing;
using Spooled.Testing;

namespace Spooled.Log.Tests.Log;

public sealed class PreallocationTests
{
    private const int SegmentSize = 4096;

    private static LogOptions Options(SimulatedStorage storage) => new()
    {
        Storage = storage,
        SegmentSize = SegmentSize,
        MaxRecordSize = 500,
        PreallocateSegments = true,
    };

    private static async Task WaitForPreparedSegment(SimulatedStorage storage)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(storage.Exists(SegmentPreallocator.FileName) && storage.GetDurableBytes(SegmentPreallocator.FileName).Length == SegmentSize))
        {
            Assert.True(DateTime.UtcNow < deadline, "the next segment was never prepared");
            await Task.Delay(5);
        }
    }

    private static List<string> Segments(SimulatedStorage storage) =>
        storage.ListFiles().Where(n => SegmentName.TryParse(n, out _)).Order(StringComparer.Ordinal).ToList();

    /// <summary>Appends until the log rolls once into the prepared file; returns every record's position.</summary>
    private static async Task<List<long>> RollOnceIntoPreparedSegment(SegmentedLog log, SimulatedStorage storage)
    {
        await WaitForPreparedSegment(storage);
        var positions = new List<long>();
        while (Segments(storage).Count < 2)
        {
            positions.Add(await log.AppendAsync(new byte[300]));
        }

        positions.Add(await log.AppendAsync(new byte[300]));
        return positions;
    }

    [Fact]
    public async Task Roll_RenamesThePreparedFile_AndCutsTheSealedSegmentToItsData()
    {
        var storage = new SimulatedStorage();
        await using var log = SegmentedLog.Open(Options(storage));
        await RollOnceIntoPreparedSegment(log, storage);

        var segments = Segments(storage);
        Assert.Contains(storage.Journal, entry => entry == $"rename {SegmentPreallocator.FileName} {segments[1]}");
        SegmentName.TryParse(segments[1], out var secondBase);
        Assert.Equal(secondBase, storage.GetDurableBytes(segments[0]).Length);
        Assert.Equal(SegmentSize, storage.GetBytes(segments[1]).Length);
    }

    [Fact]
    public async Task Reopen_ZeroFilledTail_IsTheEndOfTheLog_AndAppendsContinueInPlace()
    {
        var storage = new SimulatedStorage();
        List<long> positions;
        await using (var log = SegmentedLog.Open(Options(storage)))
        {
            positions = await RollOnceIntoPreparedSegment(log, storage);
        }

        storage.Crash(new Random(7), CrashMode.DropUnsynced);
        await using var reopened = SegmentedLog.Open(Options(storage));
        Assert.Equal(0, reopened.Recovery.TornBytesTruncated);
        Assert.Equal(positions.Count, reopened.Recovery.Records);
        var next = await reopened.AppendAsync(new byte[10]);
        Assert.True(next > positions[^1]);
        Assert.Equal(SegmentSize, storage.GetBytes(Segments(storage)[^1]).Length);
    }

    [Fact]
    public async Task Reopen_GarbageInPreallocatedSpace_IsCutFromTheEndOfTheData_KeepingEveryRecord()
    {
        var storage = new SimulatedStorage();
        List<long> positions;
        await using (var log = SegmentedLog.Open(Options(storage)))
        {
            positions = await RollOnceIntoPreparedSegment(log, storage);
        }

        var last = Segments(storage)[^1];
        SegmentName.TryParse(last, out var lastBase);
        var dataEnd = DataEndOf(storage, lastBase);
        storage.CorruptAtRest(last, SegmentSize - 100, 0x5A);

        await using var reopened = SegmentedLog.Open(Options(storage));
        Assert.Equal(last, reopened.Recovery.TornSegment);
        Assert.Equal(dataEnd, reopened.Recovery.TornOffset);
        Assert.Equal(SegmentSize - dataEnd, reopened.Recovery.TornBytesTruncated);
        Assert.Equal(positions.Count, reopened.Recovery.Records);
    }

    [Fact]
    public async Task Reopen_SealedSegmentEndingInZeros_IsCorruption()
    {
        var storage = new SimulatedStorage();
        await using (var log = SegmentedLog.Open(Options(storage)))
        {
            await RollOnceIntoPreparedSegment(log, storage);
        }

        var sealedSegment = Segments(storage)[0];
        var length = storage.GetBytes(sealedSegment).Length;
        using (var file = storage.Open(sealedSegment, LogFileMode.ReadWrite))
        {
            file.Truncate(length + 64);
            file.Flush();
        }

        var error = Assert.Throws<LogCorruptionException>(() => SegmentedLog.Open(Options(storage)));
        Assert.Equal(sealedSegment, error.File);
        Assert.Equal(length, error.Offset);
    }

    [Fact]
    public async Task Reopen_PreparedFileRenamedButHeaderNeverWritten_IsRemovedAsAnInterruptedRoll()
    {
        var storage = new SimulatedStorage();
        List<long> positions;
        await using (var log = SegmentedLog.Open(Options(storage)))
        {
            positions = [await log.AppendAsync(new byte[100]), await log.AppendAsync(new byte[100])];
        }

        // What a crash between the rename and the header write leaves: the sealed segment cut to its
        // data, and a zero-filled file under the next segment's name.
        var first = Segments(storage)[0];
        var dataEnd = DataEndOf(storage, 0);
        using (var file = storage.Open(first, LogFileMode.ReadWrite))
        {
            file.Truncate(dataEnd);
            file.Flush();
        }

        var next = SegmentName.For(dataEnd);
        using (var file = storage.Open(next, LogFileMode.CreateNew))
        {
            file.Write(0, new byte[SegmentSize]);
            file.Flush();
        }

        storage.SyncDirectory();
        await using var reopened = SegmentedLog.Open(Options(storage));
        Assert.Equal(next, reopened.Recovery.RemovedIncompleteSegment);
        Assert.Equal(positions.Count, reopened.Recovery.Records);
        Assert.False(storage.Exists(next));
    }

    /// <summary>End of the data in the segment at <paramref name="basePosition"/>: the offset after its last non-zero byte's record (found by a clean reopen's end position).</summary>
    private static long DataEndOf(SimulatedStorage storage, long basePosition)
    {
        using var log = SegmentedLog.Open(new LogOptions { Storage = storage.Clone(), SegmentSize = SegmentSize, MaxRecordSize = 500, PreallocateSegments = false });
        return log.EndPosition - basePosition;
    }
}
