using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Spooled.Benchmarks.Log;
using Spooled.Broker.State;

namespace Spooled.Benchmarks.Broker;

/// <summary>
/// Managed heap bytes per pending job beyond its payload, at <c>--jobs</c> pending jobs.
/// <para>
/// What is counted: the live managed heap after a forced, blocking, compacting full GC (LOH compacted
/// too), <see cref="GC.GetTotalMemory"/>, taken once after a warm-up of 10,000 jobs and once after
/// <c>--jobs</c> more pending jobs; the difference divided by <c>--jobs</c>, minus the payload's own
/// bytes (<c>--payload</c>). So everything else the broker keeps per job counts as overhead: the
/// <c>Job</c> object, the job's entries in the id dictionary, in its queue's ready heap and in its
/// organization's ordered list (with the spare capacity those arrays have at this count), and the
/// payload array's own header and length (24 bytes on 64-bit). Not counted: native memory (the log's
/// write buffers are fixed, not per job) and the log's bytes on disk. No automatic snapshot runs, so
/// no snapshot blob is on the heap at either measurement. The jobs are enqueued in bulk requests of
/// 100 under the chosen durability policy (Fsync by default); the policy changes when answers arrive,
/// not what the broker keeps.
/// </para>
/// <para>
/// Then, to show where the bytes go, the same number of each structure is built on its own and
/// measured the same way: payload arrays, <c>Job</c> objects, a <c>Dictionary&lt;Guid, Job&gt;</c>,
/// a <c>ReadyHeap</c> and a <c>JobList</c>.
/// </para>
/// </summary>
internal static class BrokerMemoryMode
{
    public const double TargetOverheadBytes = 250;
    private const int WarmupJobs = 10_000;

    public static async Task RunAsync(BrokerModeOptions options)
    {
        var loadBefore = ProcessSample.LoadAverage();
        double perJob;
        long pending;
        double fillSeconds;
        long workingSetDelta;
        double statsMs;
        await using (var bench = await BenchBroker.CreateAsync("memory", options.Directory, options.Durability, snapshotEveryBytes: long.MaxValue))
        {
            // The engine's record buffer, the log's buffers and the thread pool reach their working size
            // before the baseline, so the difference is what the jobs themselves hold.
            await bench.FillAsync(WarmupJobs, options.Payload, options.Producers);
            var before = HeapBytes();
            var workingSetBefore = Environment.WorkingSet;
            var started = Stopwatch.GetTimestamp();
            await bench.FillAsync(options.Jobs, options.Payload, options.Producers);
            fillSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var after = HeapBytes();
            workingSetDelta = Environment.WorkingSet - workingSetBefore;
            perJob = (after - before) / (double)options.Jobs;
            pending = (await bench.Broker.GetJobCountsAsync(bench.OrgId)).Pending;
            if (pending != WarmupJobs + (long)options.Jobs)
            {
                throw new InvalidOperationException($"Expected {WarmupJobs + options.Jobs} pending jobs, found {pending}.");
            }

            statsMs = await QueueStatsMillisecondsAsync(bench);
        }

        var overhead = perJob - options.Payload;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"mode=broker-memory jobs={options.Jobs} pending={pending} payload={options.Payload} durability={options.Durability} enqueue=bulk100 fill_jobs_per_s={options.Jobs / fillSeconds:F0} heap_B_per_job={perJob:F1} overhead_B_per_job={overhead:F1} working_set_B_per_job={workingSetDelta / (double)options.Jobs:F0} load={loadBefore}->{ProcessSample.LoadAverage()}"));
        Console.WriteLine("  (overhead = heap bytes per job - payload bytes; the payload array's 24 B header and length count as overhead)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"target overhead_B_per_job <= {TargetOverheadBytes:F0}: {(overhead <= TargetOverheadBytes ? "met" : "NOT met")} ({overhead:F1})"));
        Console.WriteLine(Breakdown((int)pending, options.Payload, overhead));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"queue_stats_ms={statsMs:F2} (GetQueueStatsAsync on the queue of {pending} pending jobs, median of 9)"));
    }

    /// <summary>
    /// How long a stats read of the full queue takes (it answers the queue's oldest job among other
    /// things, and runs on the engine thread, so every other request waits for it).
    /// </summary>
    private static async Task<double> QueueStatsMillisecondsAsync(BenchBroker bench)
    {
        var times = new double[9];
        for (var i = 0; i < times.Length; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await bench.Broker.GetQueueStatsAsync(bench.OrgId, BenchBroker.Queue);
            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(times);
        return times[times.Length / 2];
    }

    /// <summary>
    /// The live managed heap after a forced, blocking, compacting collection of every generation and the
    /// large object heap: only reachable objects count, and no free space between them.
    /// </summary>
    internal static long HeapBytes()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>
    /// Each per-job structure of a pending job, built alone for <paramref name="count"/> jobs and measured
    /// like the broker: the bytes each adds per job. Their sum against the broker's overhead shows
    /// whether anything else grows with the jobs.
    /// </summary>
    private static string Breakdown(int count, int payloadSize, double overhead)
    {
        var payloads = new byte[count][];
        var payloadBytes = Measure(count, () =>
        {
            for (var i = 0; i < count; i++)
            {
                payloads[i] = new byte[payloadSize];
            }
        });
        var arrayOverhead = payloadBytes - payloadSize;
        Array.Clear(payloads);

        var org = new OrgState("bench-org", 0);
        var queue = new QueueState(org, BenchBroker.Queue, Guid.Empty, 0);
        var payload = new byte[payloadSize];
        var jobs = new Job[count];
        var jobBytes = Measure(count, () =>
        {
            for (var i = 0; i < count; i++)
            {
                jobs[i] = new Job(Guid.NewGuid(), i + 1, queue, payload);
            }
        });

        // Grown one add at a time, as the broker grows them.
        var byId = new Dictionary<Guid, Job>();
        var dictionaryBytes = Measure(count, () =>
        {
            foreach (var job in jobs)
            {
                byId.Add(job.Id, job);
            }
        });
        var ready = new ReadyHeap();
        var heapBytes = Measure(count, () =>
        {
            foreach (var job in jobs)
            {
                ready.Add(job);
            }
        });
        var list = new JobList();
        var listBytes = Measure(count, () =>
        {
            foreach (var job in jobs)
            {
                list.Add(job);
            }
        });
        GC.KeepAlive(byId);
        GC.KeepAlive(ready);
        GC.KeepAlive(list);

        var sum = arrayOverhead + jobBytes + dictionaryBytes + heapBytes + listBytes;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"breakdown_B_per_job(each built alone for {count} jobs): payload_array_overhead={arrayOverhead:F1} job_object={jobBytes:F1} id_dictionary={dictionaryBytes:F1} ready_heap={heapBytes:F1} org_job_list={listBytes:F1} sum={sum:F1} rest={overhead - sum:F1}");
    }

    private static double Measure(int count, Action build)
    {
        var before = HeapBytes();
        build();
        return (HeapBytes() - before) / (double)count;
    }
}
