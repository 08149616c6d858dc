using System.Diagnostics;

namespace Spooled.Benchmarks.Log;

/// <summary>Percentiles of a set of latencies, in microseconds (picked as fsyncbench.c does: sorted[n * q]).</summary>
internal readonly record struct LatencySummary(int Count, double P50, double P99, double P999, double Max)
{
    /// <summary>Sorts <paramref name="ticks"/> (Stopwatch ticks) in place and summarises them.</summary>
    public static LatencySummary From(Span<long> ticks)
    {
        if (ticks.IsEmpty)
        {
            return default;
        }

        ticks.Sort();
        var n = ticks.Length;
        return new(n, Micros(ticks[n / 2]), Micros(ticks[(int)(n * 0.99)]), Micros(ticks[(int)(n * 0.999)]), Micros(ticks[n - 1]));
    }

    private static double Micros(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
}
