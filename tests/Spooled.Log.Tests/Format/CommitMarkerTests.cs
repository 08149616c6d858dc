using System.Buffers;
using Spooled.Log.Format;

namespace Spooled.Log.Tests.Format;

public sealed class CommitMarkerTests
{
    [Fact]
    public void WriteRecord_GoldenBytes_PinTheLayout()
    {
        var bytes = new byte[CommitMarker.RecordSize];
        new CommitMarker(5, 3, 0x11223344).WriteRecord(bytes, 8192, 4);
        // header: length 16 | crc | type 2 flags 0 version 1 reserved 0 | durable batch 4; body: sequence 5 | count 3 | chain | reserved
        Assert.Equal("10000000" + "9933068C" + "02000100" + "04000000" + "05000000" + "03000000" + "44332211" + "00000000", Convert.ToHexString(bytes));
    }

    [Fact]
    public void WriteRecord_DecodesAsACommitRecord()
    {
        var bytes = new byte[CommitMarker.RecordSize];
        var marker = new CommitMarker(uint.MaxValue, 1000, 77);
        marker.WriteRecord(bytes, 32, 9);
        Assert.Equal(OperationStatus.Done, RecordHeader.TryDecode(bytes, 32, out var header, out _));
        Assert.Equal(RecordType.Commit, header.Type);
        Assert.True(CommitMarker.TryRead(bytes.AsSpan(RecordHeader.Size), out var read));
        Assert.Equal(marker, read);
    }

    [Fact]
    public void ExtendChain_DependsOnOrder()
    {
        var ab = CommitMarker.ExtendChain(CommitMarker.ExtendChain(0, 1), 2);
        var ba = CommitMarker.ExtendChain(CommitMarker.ExtendChain(0, 2), 1);
        Assert.NotEqual(ab, ba);
    }
}
