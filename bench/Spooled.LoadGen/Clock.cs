using System.Diagnostics;

namespace Spooled.LoadGen;

/// <summary>
/// Monotonic time for every measurement: <see cref="Stopwatch"/> ticks, which wall-clock
/// adjustments cannot bend. Producers and workers share one process, so a tick written into a
/// payload can be compared with a tick read when the job is claimed.
/// </summary>
internal static class Clock
{
    public static long Now => Stopwatch.GetTimestamp();

    public static double Seconds(long start, long end) => (end - start) / (double)Stopwatch.Frequency;

    public static long Micros(long start, long end) => (end - start) * 1_000_000 / Stopwatch.Frequency;

    public static long TicksPerSecond => Stopwatch.Frequency;
}
