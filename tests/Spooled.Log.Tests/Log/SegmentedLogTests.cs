using System.Text;
using Spooled.Log.Storage;

namespace Spooled.Log.Tests.Log;

public sealed class SegmentedLogTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private LogOptions Options(long segmentSize = 64L * 1024 * 1024, int maxRecord = 4 * 1024 * 1024) => new()
    {
        Storage = new FileLogStorage(_dir.Path),
        SegmentSize = segmentSize,
        MaxRecordSize = maxRecord,
    };

    private static List<(long Position, string Text)> ReadAll(SegmentedLog log)
    {
        var result = new List<(long, string)>();
        using var reader = log.ReadFrom(log.StartPosition);
        while (reader.TryRead(out var record))
        {
            result.Add((record.Position, Encoding.UTF8.GetString(record.Payload.Span)));
        }

        return result;
    }

    [Fact]
    public async Task AppendAsync_ThenRead_ReturnsRecordsInOrderAtTheirPositions()
    {
        await using var log = SegmentedLog.Open(Options());
        var positions = new List<long>();
        for (var i = 0; i < 100; i++)
        {
            positions.Add(await log.AppendAsync(Encoding.UTF8.GetBytes($"record-{i}")));
        }

        var read = ReadAll(log);
        Assert.Equal(100, read.Count);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(positions[i], read[i].Position);
            Assert.Equal($"record-{i}", read[i].Text);
        }

        Assert.True(positions.SequenceEqual(positions.Order()), "positions grow");
    }

    [Fact]
    public async Task AppendAsync_ConcurrentAppenders_AllAcknowledgedAndReadable()
    {
        await using var log = SegmentedLog.Open(Options());
        var tasks = new List<Task<long>>();
        for (var i = 0; i < 2000; i++)
        {
            var payload = Encoding.UTF8.GetBytes($"c{i}");
            tasks.Add(Task.Run(async () => await log.AppendAsync(payload)));
        }

        var positions = await Task.WhenAll(tasks);
        Assert.Equal(2000, positions.Distinct().Count());
        var read = ReadAll(log);
        Assert.Equal(2000, read.Count);
        Assert.Equal(Enumerable.Range(0, 2000).Select(i => $"c{i}").Order(), read.Select(r => r.Text).Order());
    }

    [Fact]
    public async Task Reopen_KeepsEveryRecord_AndAppendsContinue()
    {
        var options = Options(segmentSize: 4096, maxRecord: 1000);
        long last;
        await using (var log = SegmentedLog.Open(options))
        {
            for (var i = 0; i < 300; i++)
            {
                await log.AppendAsync(Encoding.UTF8.GetBytes($"before-{i}-" + new string('x', i % 50)));
            }

            Assert.True(log.SegmentBasePositions().Count > 3, "small segments roll");
        }

        await using (var log = SegmentedLog.Open(options))
        {
            Assert.Equal(0, log.Recovery.TornBytesTruncated);
            Assert.Equal(300, log.Recovery.Records);
            last = await log.AppendAsync(Encoding.UTF8.GetBytes("after"));
            var read = ReadAll(log);
            Assert.Equal(301, read.Count);
            Assert.Equal("after", read[^1].Text);
            Assert.Equal(last, read[^1].Position);
            Assert.StartsWith("before-299-", read[^2].Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AppendAsync_LargeCompressibleRecord_RoundTripsAndShrinksOnDisk()
    {
        var options = Options();
        var payload = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("compressible payload ", 5000)));
        await using (var log = SegmentedLog.Open(options))
        {
            await log.AppendAsync(payload);
            var read = ReadAll(log);
            Assert.Equal(payload, Encoding.UTF8.GetBytes(read[0].Text));
        }

        var segmentBytes = new FileInfo(Directory.GetFiles(_dir.Path, "*.seg")[0]).Length;
        Assert.True(segmentBytes < payload.Length / 4, $"segment is {segmentBytes} bytes for a {payload.Length}-byte record");
    }

    [Fact]
    public async Task AppendAsync_RecordOverLimit_IsRejectedAndNothingWritten()
    {
        await using var log = SegmentedLog.Open(Options(maxRecord: 1024));
        var end = log.EndPosition;
        var error = await Assert.ThrowsAsync<RecordTooLargeException>(async () => await log.AppendAsync(new byte[1025]));
        Assert.Contains("1025", error.Message, StringComparison.Ordinal);
        Assert.Equal(end, log.EndPosition);
        await log.AppendAsync(new byte[1024]);
        Assert.Single(ReadAll(log));
    }

    [Fact]
    public async Task AppendAsync_BatchOverload_ReturnsFirstPositionAndKeepsOrder()
    {
        await using var log = SegmentedLog.Open(Options());
        var first = await log.AppendAsync(new ReadOnlyMemory<byte>[] { "a"u8.ToArray(), "b"u8.ToArray(), "c"u8.ToArray() });
        var read = ReadAll(log);
        Assert.Equal(["a", "b", "c"], read.Select(r => r.Text));
        Assert.Equal(first, read[0].Position);
    }
}
