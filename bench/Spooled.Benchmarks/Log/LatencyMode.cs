using System.Diagnostics;
using System.Globalization;
using Spooled.Log;
using Spooled.Log.Storage;

namespace Spooled.Benchmarks.Log;

/// <summary>
/// One appender awaiting each append in turn: the latency of a lone durable append, to compare with a
/// bare write + fdatasync (<see cref="RawDiskMode"/>). Samples after the warmup, up to 4 million.
/// </summary>
internal static class LatencyMode
{
    private const int MaxSamples = 4_000_000;

    public static void Run(ModeOptions options)
    {
        using var directory = BenchDirectory.Create("latency", options.Directory);
        var storage = new CountingStorage(new FileLogStorage(directory.FullPath));
        var log = SegmentedLog.Open(new LogOptions { Storage = storage, Durability = options.Durability });
        try
        {
            var loadBefore = ProcessSample.LoadAverage();
            var samples = new long[MaxSamples];
            var payload = Payload.Random(options.Size);
            var (count, p0, p1, io) = MeasureAsync(log, storage, payload, options, samples).GetAwaiter().GetResult();
            var seconds = Stopwatch.GetElapsedTime(p0.Timestamp, p1.Timestamp).TotalSeconds;
            var summary = LatencySummary.From(samples.AsSpan(0, count));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mode=latency size={options.Size} appenders=1 durability={options.Durability} n={count} secs={seconds:F2} appends_per_s={count / seconds:F0} p50_us={summary.P50:F0} p99_us={summary.P99:F0} p999_us={summary.P999:F0} max_us={summary.Max:F0} alloc_B_per_append={(double)(p1.AllocatedBytes - p0.AllocatedBytes) / Math.Max(1, count):F2} syncs_per_append={(double)io.Syncs / Math.Max(1, count):F2} sync_mean_us={io.SyncTime.TotalMicroseconds / Math.Max(1, io.Syncs):F0} cpu_cores={(p1.Cpu - p0.Cpu).TotalSeconds / seconds:F2} writer_cpu_pct={100 * (p1.WriterCpu - p0.WriterCpu).TotalSeconds / seconds:F0} load={loadBefore}->{ProcessSample.LoadAverage()}"));
        }
        finally
        {
            log.Dispose();
        }
    }

    private static async Task<(int Count, ProcessSample Start, ProcessSample End, IoCounts Io)> MeasureAsync(
        SegmentedLog log, CountingStorage storage, ReadOnlyMemory<byte> payload, ModeOptions options, long[] samples)
    {
        var warmupEnd = Stopwatch.GetTimestamp() + (long)(options.Warmup.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < warmupEnd)
        {
            await log.AppendAsync(payload);
        }

        var io0 = storage.Counts;
        var start = ProcessSample.Begin();
        var end = start.Timestamp + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
        var count = 0;
        while (count < samples.Length)
        {
            var before = Stopwatch.GetTimestamp();
            await log.AppendAsync(payload);
            var after = Stopwatch.GetTimestamp();
            samples[count++] = after - before;
            if (after >= end)
            {
                break;
            }
        }

        var stop = ProcessSample.End();
        return (count, start, stop, storage.Counts - io0);
    }
}
