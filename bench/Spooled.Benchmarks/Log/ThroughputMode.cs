using System.Diagnostics;
using System.Globalization;
using Spooled.Log;
using Spooled.Log.Storage;

namespace Spooled.Benchmarks.Log;

/// <summary>
/// N appenders run flat out; after the warmup, a window of the given seconds is measured: appends/s,
/// payload MiB/s, bytes allocated per append (whole process, steady state), appends per fdatasync,
/// and how the time went (process CPU, the writer thread's CPU, time inside write and fdatasync).
/// </summary>
internal static class ThroughputMode
{
    private static readonly TimeSpan s_stopLimit = TimeSpan.FromMinutes(1);

    public static void Run(ModeOptions options)
    {
        using var sampler = options.SampleAllocations ? new AllocationSampler() : null;
        using var directory = BenchDirectory.Create("throughput", options.Directory);
        var storage = new CountingStorage(new FileLogStorage(directory.FullPath));
        var log = SegmentedLog.Open(new LogOptions { Storage = storage, Durability = options.Durability });
        try
        {
            using var group = new AppenderGroup(log, Payload.Random(options.Size), options.Appenders);
            var loadBefore = ProcessSample.LoadAverage();
            group.Start(long.MaxValue);
            Thread.Sleep(options.Warmup);

            var io0 = storage.Counts;
            var appends0 = group.Completed;
            var p0 = ProcessSample.Begin();
            Thread.Sleep(options.Duration);
            var p1 = ProcessSample.End();
            var appends1 = group.Completed;
            var io1 = storage.Counts;

            group.Stop();
            group.Wait(s_stopLimit);
            Report(options, p0, p1, appends1 - appends0, io1 - io0, loadBefore, ProcessSample.LoadAverage());
            if (sampler is not null)
            {
                Console.WriteLine($"allocation_samples(whole run, ~100 KB each)={sampler.Top(6)}");
            }
        }
        finally
        {
            log.Dispose();
        }
    }

    private static void Report(ModeOptions o, ProcessSample p0, ProcessSample p1, long appends, IoCounts io, string loadBefore, string loadAfter)
    {
        var seconds = Stopwatch.GetElapsedTime(p0.Timestamp, p1.Timestamp).TotalSeconds;
        var line = string.Create(CultureInfo.InvariantCulture, $"mode=throughput size={o.Size} appenders={o.Appenders} durability={o.Durability} secs={seconds:F2} appends={appends} appends_per_s={appends / seconds:F0} payload_MiB_per_s={appends * (double)o.Size / seconds / 1048576:F1} disk_MiB_per_s={io.BytesWritten / seconds / 1048576:F1} alloc_B_per_append={(double)(p1.AllocatedBytes - p0.AllocatedBytes) / Math.Max(1, appends):F2} syncs_per_s={io.Syncs / seconds:F0} appends_per_sync={(double)appends / Math.Max(1, io.Syncs):F1} writes={io.Writes} sync_busy_pct={100 * io.SyncTime.TotalSeconds / seconds:F0} write_busy_pct={100 * io.WriteTime.TotalSeconds / seconds:F0} cpu_cores={(p1.Cpu - p0.Cpu).TotalSeconds / seconds:F2} writer_cpu_pct={100 * (p1.WriterCpu - p0.WriterCpu).TotalSeconds / seconds:F0} gc0={p1.Gen0 - p0.Gen0} gc1={p1.Gen1 - p0.Gen1} gc2={p1.Gen2 - p0.Gen2} load={loadBefore}->{loadAfter}");
        Console.WriteLine(line);
    }
}
