using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Spooled.Benchmarks.Log;
using Spooled.Broker;

namespace Spooled.Benchmarks.Broker;

/// <summary>
/// The snapshot's cost on the hot path at <c>--jobs</c> pending jobs. The broker reports the pause
/// (the engine stops serving while it waits for in-flight appends and serializes the state) and the
/// background write time. To show what callers feel, <c>--probes</c> loops each enqueue one job at a
/// time (one in flight each) from 2 s before the snapshot is requested until 1 s after it is written;
/// their latencies are split into those that overlapped the snapshot (requested to written) and those
/// that finished before it was requested.
/// </summary>
internal static class BrokerSnapshotMode
{
    private const int MaxSamplesPerProbe = 1 << 20;
    private const int WarmupJobs = 20_000;
    private const int WarmupSnapshots = 3;
    private static readonly TimeSpan s_before = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_after = TimeSpan.FromSeconds(1);

    public static async Task RunAsync(BrokerModeOptions options)
    {
        var loadBefore = ProcessSample.LoadAverage();
        await using var bench = await BenchBroker.CreateAsync("snapshot", options.Directory, options.Durability, snapshotEveryBytes: long.MaxValue);

        // The snapshot path compiled (tiered up, and its per-job loops through on-stack replacement) on a
        // small state first, so the measured pause is not JIT time.
        var warm = Math.Min(WarmupJobs, options.Jobs);
        await bench.FillAsync(warm, options.Payload, options.Producers);
        for (var i = 0; i < WarmupSnapshots; i++)
        {
            await bench.Broker.SnapshotAsync();
        }

        await bench.FillAsync(options.Jobs - warm, options.Payload, options.Producers);

        var spec = new JobSpec { QueueName = BenchBroker.Queue, Payload = JsonPayload.Create(options.Payload) };
        var probes = new Probe[options.Probes];
        var loops = new Task[probes.Length];
        using var stop = new CancellationTokenSource();
        for (var i = 0; i < probes.Length; i++)
        {
            var probe = probes[i] = new Probe(bench.Broker, bench.OrgId, spec);
            loops[i] = Task.Run(() => probe.RunAsync(stop.Token));
        }

        await Task.Delay(s_before);
        var sample = BrokerSample.Begin();
        var requested = sample.Timestamp;
        var report = await bench.Broker.SnapshotAsync();
        var written = Stopwatch.GetTimestamp();
        var window = BrokerSample.End();
        await Task.Delay(s_after);
        await stop.CancelAsync();
        await Task.WhenAll(loops);

        var (before, during, after) = Split(probes, requested, written);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"mode=broker-snapshot jobs={report.Jobs} payload={options.Payload} durability={options.Durability} pause_ms={report.Pause.TotalMilliseconds:F1} write_ms={report.WriteTime.TotalMilliseconds:F0} snapshot_MiB={report.Bytes / 1048576.0:F1} snapshot_B_per_job={report.Bytes / (double)Math.Max(1, report.Jobs):F0} requested_to_written_ms={Stopwatch.GetElapsedTime(requested, written).TotalMilliseconds:F0} window({window.Since(sample)}) load={loadBefore}->{ProcessSample.LoadAverage()}"));
        Console.WriteLine(Line("before", probes.Length, before));
        Console.WriteLine(Line("during", probes.Length, during));
        Console.WriteLine(Line("after", probes.Length, after));
    }

    private static string Line(string phase, int probes, LatencySummary latency) => string.Create(
        CultureInfo.InvariantCulture,
        $"  single_enqueue_latency phase={phase} probes={probes} n={latency.Count} p50_us={latency.P50:F0} p99_us={latency.P99:F0} max_us={latency.Max:F0}");

    /// <summary>Latencies of calls finished before the request, overlapping [requested, written], and started after.</summary>
    private static (LatencySummary Before, LatencySummary During, LatencySummary After) Split(Probe[] probes, long requested, long written)
    {
        var before = new List<long>();
        var during = new List<long>();
        var after = new List<long>();
        foreach (var probe in probes)
        {
            for (var i = 0; i < probe.Count; i++)
            {
                var start = probe.Starts[i];
                var end = start + probe.Latencies[i];
                var phase = end <= requested ? before : start >= written ? after : during;
                phase.Add(probe.Latencies[i]);
            }
        }

        return (Summary(before), Summary(during), Summary(after));
    }

    private static LatencySummary Summary(List<long> ticks) => LatencySummary.From(CollectionsMarshal.AsSpan(ticks));

    /// <summary>One enqueue at a time, each timed from call to acknowledgement.</summary>
    private sealed class Probe(JobBroker broker, string orgId, JobSpec spec)
    {
        public long[] Starts { get; } = new long[MaxSamplesPerProbe];

        public long[] Latencies { get; } = new long[MaxSamplesPerProbe];

        public int Count { get; private set; }

        public async Task RunAsync(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested && Count < MaxSamplesPerProbe)
            {
                var start = Stopwatch.GetTimestamp();
                await broker.EnqueueAsync(orgId, spec);
                Starts[Count] = start;
                Latencies[Count] = Stopwatch.GetTimestamp() - start;
                Count++;
            }
        }
    }
}
