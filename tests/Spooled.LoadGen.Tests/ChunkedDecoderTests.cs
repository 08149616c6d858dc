using System.Text;

namespace Spooled.LoadGen.Tests;

public sealed class ChunkedDecoderTests
{
    private const string Body = "4\r\nWiki\r\n6;name=value\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\nExpires: never\r\n\r\nafter the end";

    [Fact]
    public void Decodes_sizes_extensions_data_and_the_trailer_in_one_piece()
    {
        var (text, ended) = DecodeInPieces(Body, 1000);
        Assert.Equal("Wikipedia in \r\n\r\nchunks.", text);
        Assert.True(ended);
    }

    [Fact]
    public void Decodes_the_same_whatever_the_bytes_are_split_into()
    {
        for (var piece = 1; piece <= Body.Length; piece++)
        {
            var (text, ended) = DecodeInPieces(Body, piece);
            Assert.Equal("Wikipedia in \r\n\r\nchunks.", text);
            Assert.True(ended, $"pieces of {piece}");
        }
    }

    [Fact]
    public void A_body_that_stops_midway_has_not_ended()
    {
        var (text, ended) = DecodeInPieces("5\r\nhello\r\n3\r\nwor", 4);
        Assert.Equal("hellowor", text);
        Assert.False(ended);
    }

    [Theory]
    [InlineData("zz\r\n")]
    [InlineData("3\r\nabcX\r\n")]
    [InlineData("\r\n")]
    public void Bad_framing_is_an_error(string body) =>
        Assert.Throws<FormatException>(() => DecodeInPieces(body, 100));

    private static (string Text, bool Ended) DecodeInPieces(string body, int piece)
    {
        var input = Encoding.ASCII.GetBytes(body);
        var decoder = new ChunkedDecoder();
        var output = new byte[input.Length];
        var written = 0;
        for (var i = 0; i < input.Length; i += piece)
        {
            written += decoder.Decode(input.AsSpan(i, Math.Min(piece, input.Length - i)), output.AsSpan(written));
        }

        return (Encoding.ASCII.GetString(output, 0, written), decoder.Ended);
    }
}
