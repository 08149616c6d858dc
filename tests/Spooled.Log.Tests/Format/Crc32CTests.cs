using System.Text;
using Spooled.Log.Format;

namespace Spooled.Log.Tests.Format;

public sealed class Crc32CTests
{
    [Fact]
    public void Compute_CheckValue_MatchesTheStandard() =>
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));

    [Fact]
    public void Compute_Empty_IsZero() => Assert.Equal(0u, Crc32C.Compute([]));

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(13)]
    [InlineData(1000)]
    public void Update_InPieces_EqualsOneShot(int split)
    {
        var data = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("spooled-crc-", 200)));
        var state = Crc32C.Update(Crc32C.Seed, data.AsSpan(0, split));
        state = Crc32C.Update(state, data.AsSpan(split));
        Assert.Equal(Crc32C.Compute(data), Crc32C.Finish(state));
    }

    [Fact]
    public void Compute_SingleBitFlip_ChangesTheChecksum()
    {
        var data = new byte[64];
        var reference = Crc32C.Compute(data);
        for (var bit = 0; bit < data.Length * 8; bit++)
        {
            data[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.NotEqual(reference, Crc32C.Compute(data));
            data[bit / 8] ^= (byte)(1 << (bit % 8));
        }
    }
}
