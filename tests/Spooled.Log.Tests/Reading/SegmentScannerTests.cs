using System.Buffers.Binary;
using Spooled.Log.Format;
using Spooled.Log.Reading;
using Spooled.Log.Storage;
using Spooled.Testing;

namespace Spooled.Log.Tests.Reading;

public sealed class SegmentScannerTests
{
    private static ILogFile SegmentWith(SimulatedStorage storage, byte[] body, RecordFlags flags)
    {
        var bytes = new byte[SegmentHeader.Size + RecordHeader.Size + body.Length];
        new SegmentHeader(0, 0, 0).WriteTo(bytes);
        var record = bytes.AsSpan(SegmentHeader.Size);
        new RecordHeader(body.Length, 0, RecordType.Data, flags, (byte)FormatVersion.V1, 0).WriteTo(record);
        body.CopyTo(record[RecordHeader.Size..]);
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], RecordHeader.ComputeCrc(SegmentHeader.Size, record));
        var file = storage.Open(SegmentName.For(0), LogFileMode.CreateNew);
        file.Write(0, bytes);
        return file;
    }

    [Fact]
    public void Scan_CompressedRecordThatDoesNotDecompress_IsDamageEvenWithAValidChecksum()
    {
        var body = new byte[12];
        BinaryPrimitives.WriteInt32LittleEndian(body, 100);
        body.AsSpan(4).Fill(0xEE);
        using var file = SegmentWith(new SimulatedStorage(), body, RecordFlags.Lz4);
        var scan = SegmentScanner.Scan(file, 0);
        Assert.Equal(SegmentHeader.Size, scan.DamageOffset);
        Assert.Contains("decompress", scan.DamageReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_CompressedRecordClaimingAHugeLength_IsDamageWithoutAllocatingIt()
    {
        var body = new byte[12];
        BinaryPrimitives.WriteInt32LittleEndian(body, 1024 * 1024 * 1024);
        using var file = SegmentWith(new SimulatedStorage(), body, RecordFlags.Lz4);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var scan = SegmentScanner.Scan(file, 0);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(scan.Damaged);
        Assert.True(allocated < 1024 * 1024, $"{allocated} bytes allocated");
    }

    [Fact]
    public void Scan_RecordAfterTheLastMarker_IsCountedAsPending()
    {
        using var file = SegmentWith(new SimulatedStorage(), "plain"u8.ToArray(), RecordFlags.None);
        var scan = SegmentScanner.Scan(file, 0);
        Assert.False(scan.Damaged);
        Assert.Equal(1u, scan.PendingCount);
        Assert.Equal(SegmentHeader.Size, scan.ConfirmedEnd);
    }
}
