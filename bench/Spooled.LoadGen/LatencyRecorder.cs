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

    public LatencyReport? Report() => LatencyReport.Of(_histogram);
}
