using HdrHistogram;

namespace Spooled.LoadGen;

/// <summary>
/// A thread-safe HdrHistogram of microseconds. HdrHistogram keeps 3 significant digits from 1 µs to
/// an hour in fixed memory, so p99.9 stays exact however many samples a long run records.
/// </summary>
internal sealed class LatencyRecorder
{
    private const long HighestMicros = 3_600_000_000;
    private readonly LongConcurrentHistogram _histogram = new(1, HighestMicros, 3);

    public long Count => _histogram.TotalCount;

    public void Record(long micros) => _histogram.RecordValue(Math.Clamp(micros, 1, HighestMicros));

    public LatencyReport? Report()
    {
        if (_histogram.TotalCount == 0)
        {
            return null;
        }

        static double Ms(long micros) => Math.Round(micros / 1000.0, 3);
        return new LatencyReport(
            _histogram.TotalCount,
            Ms(_histogram.GetValueAtPercentile(50)),
            Ms(_histogram.GetValueAtPercentile(99)),
            Ms(_histogram.GetValueAtPercentile(99.9)),
            Ms(_histogram.GetMaxValue()),
            Math.Round(_histogram.GetMean() / 1000.0, 3));
    }
}
