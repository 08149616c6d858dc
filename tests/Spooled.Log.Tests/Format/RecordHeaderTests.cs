using System.Buffers;
using Spooled.Log.Format;

namespace Spooled.Log.Tests.Format;

public sealed class RecordHeaderTests
{
    private static byte[] Record(long position, ReadOnlySpan<byte> body, RecordFlags flags = RecordFlags.None, uint durableBatch = 7)
    {
        var record = new byte[RecordHeader.Size + body.Length];
        new RecordHeader(body.Length, 0, RecordType.Data, flags, (byte)FormatVersion.V1, durableBatch).WriteTo(record);
        body.CopyTo(record.AsSpan(RecordHeader.Size));
        var crc = RecordHeader.ComputeCrc(position, record);
        new RecordHeader(body.Length, crc, RecordType.Data, flags, (byte)FormatVersion.V1, durableBatch).WriteTo(record);
        return record;
    }

    [Fact]
    public void WriteTo_GoldenBytes_PinTheLayout()
    {
        var record = Record(4096, "abc"u8);
        // length=3 | crc | type=1 flags=0 version=1 reserved=0 | durable batch=7 | body "abc"
        Assert.Equal("03000000" + "5EF51614" + "01000100" + "07000000" + "616263", Convert.ToHexString(record));
    }

    [Fact]
    public void Read_RoundTripsEveryField()
    {
        var header = new RecordHeader(123456, 0xDEADBEEF, RecordType.Commit, RecordFlags.Lz4, 1, 0xFFFFFFFE);
        var bytes = new byte[RecordHeader.Size];
        header.WriteTo(bytes);
        Assert.Equal(header, RecordHeader.Read(bytes));
    }

    [Fact]
    public void TryDecode_IntactRecord_IsDone()
    {
        var record = Record(100, "payload"u8);
        Assert.Equal(OperationStatus.Done, RecordHeader.TryDecode(record, 100, out var header, out var length));
        Assert.Equal(record.Length, length);
        Assert.Equal(7, header.BodyLength);
    }

    [Fact]
    public void TryDecode_AtAnotherPosition_IsInvalid() =>
        Assert.Equal(OperationStatus.InvalidData, RecordHeader.TryDecode(Record(100, "payload"u8), 101, out _, out _));

    [Fact]
    public void TryDecode_EveryTruncation_NeedsMoreData()
    {
        var record = Record(0, "0123456789"u8);
        for (var cut = 0; cut < record.Length; cut++)
        {
            Assert.Equal(OperationStatus.NeedMoreData, RecordHeader.TryDecode(record.AsSpan(0, cut), 0, out _, out _));
        }
    }

    [Fact]
    public void TryDecode_EveryBitFlip_IsNeverDone()
    {
        var record = Record(64, "some body bytes"u8);
        for (var bit = 0; bit < record.Length * 8; bit++)
        {
            record[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.NotEqual(OperationStatus.Done, RecordHeader.TryDecode(record, 64, out _, out _));
            record[bit / 8] ^= (byte)(1 << (bit % 8));
        }
    }

    [Fact]
    public void TryDecode_ZeroFilledBytes_AreInvalid() =>
        Assert.Equal(OperationStatus.InvalidData, RecordHeader.TryDecode(new byte[64], 0, out _, out _));
}
