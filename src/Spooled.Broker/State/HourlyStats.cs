namespace Spooled.Broker.State;

/// <summary>
/// Completions, failed attempts and processing time per hour over the last 24 hours, bucketed by
/// record time so that replay rebuilds the same figures.
/// </summary>
internal sealed class HourlyStats
{
    public const int Hours = 24;
    private static readonly long s_hour = TimeSpan.TicksPerHour;

    public long[] Hour { get; } = new long[Hours];

    public long[] Completed { get; } = new long[Hours];

    public long[] Failed { get; } = new long[Hours];

    public long[] ProcessingTicks { get; } = new long[Hours];

    public void RecordCompleted(long at, long processingTicks)
    {
        var slot = Slot(at);
        Completed[slot]++;
        ProcessingTicks[slot] += Math.Max(0, processingTicks);
    }

    public void RecordFailed(long at) => Failed[Slot(at)]++;

    /// <summary>Sums the buckets of the 24 hours ending at <paramref name="now"/>.</summary>
    public (long Completed, long Failed, long ProcessingTicks) Last24Hours(long now)
    {
        var current = now / s_hour;
        long completed = 0, failed = 0, ticks = 0;
        for (var i = 0; i < Hours; i++)
        {
            if (Hour[i] > current - Hours && Hour[i] <= current)
            {
                completed += Completed[i];
                failed += Failed[i];
                ticks += ProcessingTicks[i];
            }
        }

        return (completed, failed, ticks);
    }

    private int Slot(long at)
    {
        var hour = at / s_hour;
        var slot = (int)(hour % Hours);
        if (Hour[slot] != hour)
        {
            Hour[slot] = hour;
            Completed[slot] = 0;
            Failed[slot] = 0;
            ProcessingTicks[slot] = 0;
        }

        return slot;
    }
}
