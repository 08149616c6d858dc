using Spooled.Testing;

namespace Spooled.Log.Tests.Log;

public sealed class ReadFromTests
{
    [Fact]
    public async Task ReadFrom_AnAppendedPosition_StartsThere()
    {
        await using var log = SegmentedLog.Open(new LogOptions { Storage = new SimulatedStorage(), SegmentSize = 4096, MaxRecordSize = 500 });
        var positions = new List<long>();
        for (var i = 0; i < 100; i++)
        {
            positions.Add(await log.AppendAsync(BitConverter.GetBytes(i)));
        }

        using var reader = log.ReadFrom(positions[37]);
        var seen = new List<int>();
        while (reader.TryRead(out var record))
        {
            seen.Add(BitConverter.ToInt32(record.Payload.Span));
        }

        Assert.Equal(Enumerable.Range(37, 63), seen);
    }

    [Fact]
    public async Task ReadFrom_NotARecordBoundary_IsAnArgumentError()
    {
        await using var log = SegmentedLog.Open(new LogOptions { Storage = new SimulatedStorage() });
        var position = await log.AppendAsync(new byte[64]);
        using var reader = log.ReadFrom(position + 3);
        Assert.Throws<ArgumentException>(() => reader.TryRead(out _));
    }

    [Fact]
    public async Task ReadFrom_PastTheEnd_IsOutOfRange_AndAtTheEnd_IsEmpty()
    {
        await using var log = SegmentedLog.Open(new LogOptions { Storage = new SimulatedStorage() });
        await log.AppendAsync(new byte[8]);
        Assert.Throws<ArgumentOutOfRangeException>(() => log.ReadFrom(log.EndPosition + 1));
        using var reader = log.ReadFrom(log.EndPosition);
        Assert.False(reader.TryRead(out _));
    }

    [Fact]
    public async Task ReadFrom_StopsAtTheEndAcknowledgedWhenCreated()
    {
        await using var log = SegmentedLog.Open(new LogOptions { Storage = new SimulatedStorage() });
        await log.AppendAsync(new byte[] { 1 });
        using var reader = log.ReadFrom(log.StartPosition);
        await log.AppendAsync(new byte[] { 2 });
        Assert.True(reader.TryRead(out _));
        Assert.False(reader.TryRead(out _));
    }
}
