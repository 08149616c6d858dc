using Spooled.Log.Format;

namespace Spooled.Log.Tests.Format;

public sealed class SegmentHeaderTests
{
    [Fact]
    public void WriteTo_GoldenBytes_PinTheLayout()
    {
        var bytes = new byte[SegmentHeader.Size];
        new SegmentHeader(0x0102030405060708, 9, 0xAABBCCDD).WriteTo(bytes);
        // magic "SPLG" | version 1 | min compatible 1 | header size 32 | base position | start sequence | start chain | reserved | crc
        Assert.Equal("53504C47" + "01" + "01" + "2000" + "0807060504030201" + "09000000" + "DDCCBBAA" + "00000000" + "344AC259", Convert.ToHexString(bytes));
    }

    [Fact]
    public void TryRead_RoundTrips()
    {
        var header = new SegmentHeader(123456789, 42, 0x12345678);
        var bytes = new byte[SegmentHeader.Size];
        header.WriteTo(bytes);
        Assert.True(SegmentHeader.TryRead(bytes, out var read, out var error), error);
        Assert.Equal(header, read);
    }

    [Fact]
    public void TryRead_EveryBitFlip_IsRejected()
    {
        var bytes = new byte[SegmentHeader.Size];
        new SegmentHeader(4096, 3, 5).WriteTo(bytes);
        for (var bit = 0; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(SegmentHeader.TryRead(bytes, out _, out _), $"bit {bit}");
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
        }
    }

    [Fact]
    public void TryRead_Short_SaysSo()
    {
        Assert.False(SegmentHeader.TryRead(new byte[10], out _, out var error));
        Assert.Contains("shorter", error, StringComparison.Ordinal);
    }

    [Fact]
    public void SegmentName_SortsAsPositions()
    {
        Assert.Equal("00000000000000004096.seg", SegmentName.For(4096));
        Assert.True(SegmentName.TryParse(SegmentName.For(long.MaxValue), out var parsed));
        Assert.Equal(long.MaxValue, parsed);
        Assert.True(string.CompareOrdinal(SegmentName.For(999), SegmentName.For(1000)) < 0);
        Assert.False(SegmentName.TryParse("00000000000000004096.seg.cut", out _));
        Assert.False(SegmentName.TryParse("0000000000000000409x.seg", out _));
    }
}
