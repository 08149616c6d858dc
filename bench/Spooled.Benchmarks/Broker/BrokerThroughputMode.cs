using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Spooled.Benchmarks.Log;
using Spooled.Broker;

namespace Spooled.Benchmarks.Broker;

/// <summary>
/// End to end through the broker, no HTTP: producers enqueue in bulk requests of 100 while workers
/// claim 100 at a time and complete what they claimed, all concurrently, until every job is completed.
/// Reports enqueue jobs/s (first enqueue to the last bulk acknowledged), end-to-end jobs/s (first enqueue
/// to the last completion acknowledged), bulk enqueue latency, allocated bytes per job (whole process,
/// and the benchmark's own share), GC counts and pauses, CPU per job (process, engine thread, log
/// writer) and the log's disk calls (bytes written include zero-filling the next segment in advance).
/// Durable when the policy is Fsync: every answer waits for the fdatasync of its record. The broker
/// keeps its default options, so a snapshot may fall inside the run (reported when it does).
/// </summary>
internal static class BrokerThroughputMode
{
    public const double TargetJobsPerSecond = 250_000;
    private const int MaxWarmupRounds = 20;
    private static readonly TimeSpan s_settledJit = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan s_minWarmup = TimeSpan.FromSeconds(2);

    public static async Task RunAsync(BrokerModeOptions options)
    {
        await using var bench = await BenchBroker.CreateAsync("throughput", options.Directory, options.Durability, options.AutoSnapshots ? null : long.MaxValue);
        var warmupJobs = await WarmUpAsync(bench, options);

        var snapshotBefore = bench.Broker.LastSnapshot;
        var loadBefore = ProcessSample.LoadAverage();
        var pipeline = new Pipeline(bench, new BulkRequests(options.Payload, options.Jobs), options);
        var io0 = bench.Storage.Counts;
        var start = BrokerSample.Begin();
        await pipeline.RunAsync();
        var end = BrokerSample.End();
        var io = bench.Storage.Counts - io0;

        var counts = await bench.Broker.GetJobCountsAsync(bench.OrgId);
        // Retention keeps at most so many finished jobs per organization (the oldest go first).
        var retained = Math.Min(warmupJobs + options.Jobs, bench.Options.RetentionMaxJobsPerOrganization);
        if (counts.Completed != retained || counts.Total != counts.Completed)
        {
            throw new InvalidOperationException($"Expected {retained} completed jobs and nothing else, found {counts}.");
        }

        var jobs = (double)options.Jobs;
        var enqueueSeconds = Stopwatch.GetElapsedTime(pipeline.Started, pipeline.EnqueueFinished).TotalSeconds;
        var seconds = Stopwatch.GetElapsedTime(pipeline.Started, pipeline.Finished).TotalSeconds;
        var e2e = jobs / seconds;
        var enqueueLatency = LatencySummary.From(pipeline.EnqueueLatencies);
        var allocated = (end.AllocatedBytes - start.AllocatedBytes) / jobs;
        var harness = pipeline.HarnessBytes / jobs;
        var snapshot = bench.Broker.LastSnapshot is { } taken && !ReferenceEquals(taken, snapshotBefore)
            ? string.Create(CultureInfo.InvariantCulture, $"auto_snapshot(pause_ms={taken.Pause.TotalMilliseconds:F0},write_ms={taken.WriteTime.TotalMilliseconds:F0},jobs={taken.Jobs},MiB={taken.Bytes / 1048576.0:F0})")
            : "auto_snapshot=none";
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"mode=broker-throughput gc={BenchBroker.GcMode} jobs={options.Jobs} payload={options.Payload} producers={options.Producers} workers={options.Workers} complete={(options.BatchComplete ? "batch" : "single")} durability={options.Durability} secs={seconds:F2} enqueue_jobs_per_s={jobs / enqueueSeconds:F0} e2e_jobs_per_s={e2e:F0} bulk_enqueue_p50_us={enqueueLatency.P50:F0} bulk_enqueue_p99_us={enqueueLatency.P99:F0} bulk_enqueue_max_us={enqueueLatency.Max:F0} empty_claims={pipeline.EmptyClaims} alloc_B_per_job={allocated:F0} harness_B_per_job={harness:F0} broker_B_per_job={allocated - harness:F0} cpu_us_per_job={(end.Cpu - start.Cpu).TotalMicroseconds / jobs:F2} engine_us_per_job={(end.EngineCpu - start.EngineCpu).TotalMicroseconds / jobs:F2} writer_us_per_job={(end.WriterCpu - start.WriterCpu).TotalMicroseconds / jobs:F2} {end.Since(start)} syncs={io.Syncs} jobs_per_sync={jobs / Math.Max(1, io.Syncs):F0} sync_busy_pct={100 * io.SyncTime.TotalSeconds / seconds:F0} disk_write_B_per_job={io.BytesWritten / jobs:F0} {snapshot} load={loadBefore}->{ProcessSample.LoadAverage()}"));
        if (options.BatchComplete)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"target e2e_jobs_per_s >= {TargetJobsPerSecond:F0} with batch completion: {(e2e >= TargetJobsPerSecond ? "met" : "NOT met")} ({e2e:F0})"));
        }
    }

    /// <summary>
    /// Rounds of <c>--warmup</c> jobs for at least two seconds and until a round compiles for less than
    /// 10 ms (at most 20 rounds): tiered compilation promotes hot methods only after they have run for
    /// a while, then recompiles them in the background, and a window that still contains it measures
    /// the JIT, not the broker. Prints how many rounds it took; returns the jobs run.
    /// </summary>
    private static async Task<long> WarmUpAsync(BenchBroker bench, BrokerModeOptions options)
    {
        if (options.Warmup == 0)
        {
            return 0;
        }

        var jit = TimeSpan.MaxValue;
        var rounds = 0;
        var started = Stopwatch.GetTimestamp();
        while (rounds < MaxWarmupRounds && (jit >= s_settledJit || Stopwatch.GetElapsedTime(started) < s_minWarmup))
        {
            var before = JitInfo.GetCompilationTime();
            await new Pipeline(bench, new BulkRequests(options.Payload, options.Warmup), options).RunAsync();
            jit = JitInfo.GetCompilationTime() - before;
            rounds++;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# warm-up: {rounds} round(s) of {options.Warmup} jobs, JIT {jit.TotalMilliseconds:F0} ms in the last"));
        return rounds * (long)options.Warmup;
    }

    /// <summary>One run: producers and workers until every job of <see cref="BulkRequests"/> is completed.</summary>
    private sealed class Pipeline(BenchBroker bench, BulkRequests requests, BrokerModeOptions options)
    {
        private readonly JobBroker _broker = bench.Broker;
        private readonly string _org = bench.OrgId;
        private readonly long[] _enqueueLatencies = new long[requests.Count];
        private int _nextBatch = -1;
        private long _claimed;
        private long _harnessBytes;
        private long _emptyClaims;

        public long Started { get; private set; }

        public long EnqueueFinished { get; private set; }

        public long Finished { get; private set; }

        public Span<long> EnqueueLatencies => _enqueueLatencies;

        /// <summary>Bytes the benchmark itself allocated for the workers (acknowledgements, arrays of tasks).</summary>
        public long HarnessBytes => Interlocked.Read(ref _harnessBytes);

        public long EmptyClaims => Interlocked.Read(ref _emptyClaims);

        public async Task RunAsync()
        {
            var producers = new Task[options.Producers];
            var workers = new Task[options.Workers];
            Started = Stopwatch.GetTimestamp();
            for (var i = 0; i < producers.Length; i++)
            {
                producers[i] = Task.Run(ProduceAsync);
            }

            for (var i = 0; i < workers.Length; i++)
            {
                var workerId = "bench-worker-" + i.ToString(CultureInfo.InvariantCulture);
                workers[i] = Task.Run(() => WorkAsync(workerId));
            }

            await Task.WhenAll(producers);
            EnqueueFinished = Stopwatch.GetTimestamp();
            await Task.WhenAll(workers);
            Finished = Stopwatch.GetTimestamp();
        }

        private async Task ProduceAsync()
        {
            int batch;
            while ((batch = Interlocked.Increment(ref _nextBatch)) < requests.Count)
            {
                var before = Stopwatch.GetTimestamp();
                var result = await _broker.EnqueueBulkAsync(_org, requests[batch]);
                _enqueueLatencies[batch] = Stopwatch.GetTimestamp() - before;
                BulkRequests.ThrowIfRefused(result);
            }
        }

        private async Task WorkAsync(string workerId)
        {
            // A lease far longer than any run: no job may be redelivered, so each is claimed exactly once.
            var claim = new ClaimRequest { QueueName = BenchBroker.Queue, WorkerId = workerId, Limit = BenchBroker.BulkSize, LeaseSeconds = 3600 };
            var acks = new List<JobAck>(BenchBroker.BulkSize);
            while (Interlocked.Read(ref _claimed) < requests.Jobs)
            {
                var jobs = await _broker.ClaimAsync(_org, claim);
                if (jobs.Count == 0)
                {
                    // The workers are ahead of the producers; a real worker would long-poll.
                    Interlocked.Increment(ref _emptyClaims);
                    await Task.Delay(1);
                    continue;
                }

                Interlocked.Add(ref _claimed, jobs.Count);
                if (options.BatchComplete)
                {
                    var allocated = GC.GetAllocatedBytesForCurrentThread();
                    acks.Clear();
                    for (var i = 0; i < jobs.Count; i++)
                    {
                        acks.Add(new JobAck { JobId = jobs[i].Id, LeaseId = jobs[i].LeaseId });
                    }

                    Interlocked.Add(ref _harnessBytes, GC.GetAllocatedBytesForCurrentThread() - allocated);
                    var results = await _broker.CompleteManyAsync(_org, workerId, acks);
                    foreach (var result in results)
                    {
                        if (result.Error is { } error)
                        {
                            throw new InvalidOperationException($"Completing job {result.JobId} was refused: {error} {result.Message}");
                        }
                    }
                }
                else
                {
                    // One call per job, the claim's jobs completed concurrently (as a worker running them
                    // in parallel would): what each acknowledgement costs on its own.
                    var allocated = GC.GetAllocatedBytesForCurrentThread();
                    var calls = new Task[jobs.Count];
                    var harness = GC.GetAllocatedBytesForCurrentThread() - allocated;
                    for (var i = 0; i < jobs.Count; i++)
                    {
                        calls[i] = _broker.CompleteAsync(_org, jobs[i].Id, workerId, jobs[i].LeaseId, null);
                    }

                    allocated = GC.GetAllocatedBytesForCurrentThread();
                    var all = Task.WhenAll(calls);
                    Interlocked.Add(ref _harnessBytes, harness + GC.GetAllocatedBytesForCurrentThread() - allocated);
                    await all;
                }
            }
        }
    }
}
