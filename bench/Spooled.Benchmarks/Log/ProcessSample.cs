using System.Diagnostics;
using System.Globalization;

namespace Spooled.Benchmarks.Log;

/// <summary>
/// The process's counters at one moment: time, allocated bytes (all threads), GC counts, CPU time, and
/// the CPU time of the log's writer thread (from /proc/self/task, Linux only).
/// </summary>
internal readonly record struct ProcessSample(
    long Timestamp,
    long AllocatedBytes,
    int Gen0,
    int Gen1,
    int Gen2,
    TimeSpan Cpu,
    TimeSpan WriterCpu)
{
    /// <summary>Thread name as Linux truncates it (15 bytes) for the log's "spooled-log-writer".</summary>
    private const string WriterComm = "spooled-log-wri";

    /// <summary>Takes a sample at the start of a window: the allocation counter last, so the sampling's own allocations fall outside.</summary>
    public static ProcessSample Begin()
    {
        var writer = ReadThreadCpu(WriterComm);
        var cpu = Environment.CpuUsage.TotalTime;
        var (g0, g1, g2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var timestamp = Stopwatch.GetTimestamp();
        return new(timestamp, GC.GetTotalAllocatedBytes(precise: true), g0, g1, g2, cpu, writer);
    }

    /// <summary>Takes a sample at the end of a window: the allocation counter first.</summary>
    public static ProcessSample End()
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var timestamp = Stopwatch.GetTimestamp();
        var (g0, g1, g2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var cpu = Environment.CpuUsage.TotalTime;
        return new(timestamp, allocated, g0, g1, g2, cpu, ReadThreadCpu(WriterComm));
    }

    /// <summary>The 1-minute load average and runnable/total tasks, as /proc/loadavg shows them.</summary>
    public static string LoadAverage()
    {
        const string path = "/proc/loadavg";
        if (!File.Exists(path))
        {
            return "?";
        }

        var fields = File.ReadAllText(path).Split(' ');
        return fields.Length >= 4 ? $"{fields[0]}({fields[3]})" : "?";
    }

    /// <summary>Summed user+system CPU time of this process's threads named <paramref name="comm"/>.</summary>
    internal static TimeSpan ReadThreadCpu(string comm)
    {
        const string tasks = "/proc/self/task";
        if (!Directory.Exists(tasks))
        {
            return TimeSpan.Zero;
        }

        long ticks = 0;
        foreach (var task in Directory.EnumerateDirectories(tasks))
        {
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(task, "stat"));
            }
            catch (IOException)
            {
                continue; // The thread exited.
            }

            // "tid (comm) state ppid ...": comm may hold spaces, so split after the last ')'.
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            if (open < 0 || close < open || stat[(open + 1)..close] != comm)
            {
                continue;
            }

            var fields = stat[(close + 2)..].Split(' ');
            // Fields 14 and 15 of stat (utime, stime) are 11 and 12 after "state".
            ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }

        // USER_HZ is 100 on every Linux this runs on.
        return TimeSpan.FromMilliseconds(ticks * 10);
    }
}
