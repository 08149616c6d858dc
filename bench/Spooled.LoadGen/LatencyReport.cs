using HdrHistogram;

namespace Spooled.LoadGen;

/// <summary>Percentiles of one latency, in milliseconds.</summary>
internal sealed record LatencyReport(long Count, double P50Ms, double P99Ms, double P999Ms, double MaxMs, double MeanMs)
{
    /// <summary>The percentiles of a histogram of microseconds; null when it holds no sample.</summary>
    public static LatencyReport? Of(HistogramBase micros)
    {
        if (micros.TotalCount == 0)
        {
            return null;
        }

        static double Ms(long value) => Math.Round(value / 1000.0, 3);
        return new LatencyReport(
            micros.TotalCount,
            Ms(micros.GetValueAtPercentile(50)),
            Ms(micros.GetValueAtPercentile(99)),
            Ms(micros.GetValueAtPercentile(99.9)),
            Ms(micros.GetMaxValue()),
            Math.Round(micros.GetMean() / 1000.0, 3));
    }
}
