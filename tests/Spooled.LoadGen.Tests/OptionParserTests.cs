namespace Spooled.LoadGen.Tests;

/// <summary>The command line: both value forms, and an error that names the flag for every bad value.</summary>
public sealed class OptionParserTests
{
    [Fact]
    public void Reads_both_value_forms()
    {
        var options = OptionParser.Parse(["--api-key", "k", "--workload", "steady", "--rate=250", "--duration", "3", "--workers=2", "--ack", "batch", "--claim-limit", "100", "--json"]);
        Assert.Equal(Workload.Steady, options.Workload);
        Assert.Equal(250, options.Rate);
        Assert.Equal(3, options.DurationSecs);
        Assert.Equal(2, options.Workers);
        Assert.Equal(AckMode.Batch, options.Ack);
        Assert.Equal(100, options.ClaimLimit);
        Assert.True(options.Json);
    }

    [Theory]
    [InlineData("--rate", "0")]
    [InlineData("--rate", "1000001")]
    [InlineData("--batch", "101")]
    [InlineData("--claim-limit", "0")]
    [InlineData("--payload-bytes", "10")]
    [InlineData("--workers", "many")]
    [InlineData("--workload", "flood")]
    [InlineData("--ack", "sometimes")]
    public void A_bad_value_is_refused_naming_its_flag(string flag, string value)
    {
        var error = Assert.Throws<UsageException>(() => OptionParser.Parse(["--api-key", "k", flag, value]));
        Assert.Contains(flag, error.Message);
    }

    [Fact]
    public void A_flag_without_its_value_or_an_unknown_flag_is_refused()
    {
        Assert.Contains("--rate", Assert.Throws<UsageException>(() => OptionParser.Parse(["--api-key", "k", "--rate"])).Message);
        Assert.Contains("--rate", Assert.Throws<UsageException>(() => OptionParser.Parse(["--api-key", "k", "--rate", "--json"])).Message);
        Assert.Contains("--frobnicate", Assert.Throws<UsageException>(() => OptionParser.Parse(["--api-key", "k", "--frobnicate"])).Message);
    }
}
