namespace Spooled.LoadGen.Tests;

/// <summary>Percentiles come out of the histogram as recorded, in milliseconds.</summary>
public sealed class LatencyRecorderTests
{
    [Fact]
    public void Percentiles_of_a_known_distribution()
    {
        var recorder = new LatencyRecorder();
        for (var micros = 1; micros <= 10_000; micros++)
        {
            recorder.Record(micros);
        }

        var report = recorder.Report()!;
        Assert.Equal(10_000, report.Count);
        Assert.InRange(report.P50Ms, 4.99, 5.01);
        Assert.InRange(report.P99Ms, 9.89, 9.91);
        Assert.InRange(report.P999Ms, 9.98, 10.0);
        Assert.InRange(report.MaxMs, 9.99, 10.01);
        Assert.InRange(report.MeanMs, 4.99, 5.01);
    }

    [Fact]
    public void One_slow_sample_in_a_thousand_shows_at_the_tail_not_the_median()
    {
        var recorder = new LatencyRecorder();
        for (var i = 0; i < 999; i++)
        {
            recorder.Record(1_000);
        }

        recorder.Record(2_000_000);
        var report = recorder.Report()!;
        Assert.InRange(report.P50Ms, 0.999, 1.001);
        Assert.InRange(report.P99Ms, 0.999, 1.001);
        Assert.InRange(report.MaxMs, 1_999, 2_001);
    }

    [Fact]
    public void No_sample_means_no_report()
    {
        Assert.Null(new LatencyRecorder().Report());
    }
}
