using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Spooled.Benchmarks.Log;

namespace Spooled.Benchmarks.Broker;

/// <summary>
/// The process's counters at one moment: time, allocated bytes (all threads), GC counts and pause
/// time, JIT time (tiered compilation still at work means the window is not yet steady), CPU time of
/// the process, of the broker's engine thread and of the log's writer thread (the last two from
/// /proc/self/task, Linux only; zero elsewhere).
/// </summary>
internal readonly record struct BrokerSample(
    long Timestamp,
    long AllocatedBytes,
    int Gen0,
    int Gen1,
    int Gen2,
    TimeSpan GcPause,
    TimeSpan Jit,
    TimeSpan Cpu,
    TimeSpan EngineCpu,
    TimeSpan WriterCpu)
{
    /// <summary>Thread names as Linux truncates them (15 bytes): "spooled-broker" and "spooled-log-writer".</summary>
    private const string EngineComm = "spooled-broker";
    private const string WriterComm = "spooled-log-wri";

    /// <summary>Takes a sample at the start of a window: the allocation counter last, so the sampling's own allocations fall outside.</summary>
    public static BrokerSample Begin()
    {
        var (engine, writer) = (ProcessSample.ReadThreadCpu(EngineComm), ProcessSample.ReadThreadCpu(WriterComm));
        var (cpu, jit) = (Environment.CpuUsage.TotalTime, JitInfo.GetCompilationTime());
        var (g0, g1, g2, pause) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
        var timestamp = Stopwatch.GetTimestamp();
        return new(timestamp, GC.GetTotalAllocatedBytes(precise: true), g0, g1, g2, pause, jit, cpu, engine, writer);
    }

    /// <summary>Takes a sample at the end of a window: the allocation counter first.</summary>
    public static BrokerSample End()
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var timestamp = Stopwatch.GetTimestamp();
        var (g0, g1, g2, pause) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
        var (cpu, jit) = (Environment.CpuUsage.TotalTime, JitInfo.GetCompilationTime());
        return new(timestamp, allocated, g0, g1, g2, pause, jit, cpu, ProcessSample.ReadThreadCpu(EngineComm), ProcessSample.ReadThreadCpu(WriterComm));
    }

    /// <summary>The window from <paramref name="start"/> to this sample as key=value pairs (GC, JIT, CPU).</summary>
    public string Since(BrokerSample start)
    {
        var seconds = Math.Max(1e-9, Stopwatch.GetElapsedTime(start.Timestamp, Timestamp).TotalSeconds);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"gc0={Gen0 - start.Gen0} gc1={Gen1 - start.Gen1} gc2={Gen2 - start.Gen2} gc_pause_ms={(GcPause - start.GcPause).TotalMilliseconds:F0} jit_ms={(Jit - start.Jit).TotalMilliseconds:F0} cpu_cores={(Cpu - start.Cpu).TotalSeconds / seconds:F2} engine_cpu_pct={100 * (EngineCpu - start.EngineCpu).TotalSeconds / seconds:F0} writer_cpu_pct={100 * (WriterCpu - start.WriterCpu).TotalSeconds / seconds:F0}");
    }
}
