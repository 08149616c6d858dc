using System.Diagnostics;
using System.Globalization;
using Spooled.Benchmarks.Log;
using Spooled.Broker;

namespace Spooled.Benchmarks.Broker;

/// <summary>
/// How long <see cref="JobBroker.Open"/> takes with <c>--jobs</c> pending jobs:
/// (b) replay only: the jobs enqueued in bulk requests of 100 with automatic snapshots off, the broker
/// closed and reopened, every record replayed from the start of the log;
/// (a) snapshot + tail: on the reopened broker, a snapshot, then <c>--tail</c> more jobs, closed and
/// reopened: the snapshot loaded and only the tail replayed.
/// Each figure is the wall time around <see cref="JobBroker.Open"/> (which opens and checks the log,
/// loads the snapshot, replays and starts the engine), beside <see cref="JobBroker.Startup"/>'s own
/// split. The process is warm (the code is compiled); the log's files are in the page cache unless
/// <c>--cache cold</c> evicts them before each reopen, as after a reboot.
/// </summary>
internal static class BrokerRecoveryMode
{
    public static readonly TimeSpan SnapshotTarget = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan ReplayTarget = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(BrokerModeOptions options)
    {
        var loadBefore = ProcessSample.LoadAverage();
        await using var bench = await BenchBroker.CreateAsync("recovery", options.Directory, options.Durability, snapshotEveryBytes: long.MaxValue);
        var started = Stopwatch.GetTimestamp();
        await bench.FillAsync(options.Jobs, options.Payload, options.Producers);
        var fillSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await bench.CloseAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# filled jobs={options.Jobs} payload={options.Payload} durability={options.Durability} in {fillSeconds:F1} s; log {DirectoryMiB(bench.FullPath):F0} MiB; cache={(options.ColdCache ? "cold" : "warm")}"));

        var (replayWall, replayEvicted) = await ReopenAsync(bench, options, options.Jobs);
        Report("replay-only", replayWall, replayEvicted, bench.Broker.Startup, ReplayTarget, loadBefore);

        var snapshot = await bench.Broker.SnapshotAsync();
        await bench.FillAsync(options.Tail, options.Payload, options.Producers);
        await bench.CloseAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# snapshot {snapshot.Bytes / 1048576.0:F0} MiB of {snapshot.Jobs} jobs (pause {snapshot.Pause.TotalMilliseconds:F0} ms, write {snapshot.WriteTime.TotalMilliseconds:F0} ms), then a tail of {options.Tail} jobs; directory {DirectoryMiB(bench.FullPath):F0} MiB"));

        var (snapshotWall, snapshotEvicted) = await ReopenAsync(bench, options, options.Jobs + (long)options.Tail);
        Report("snapshot+tail", snapshotWall, snapshotEvicted, bench.Broker.Startup, SnapshotTarget, loadBefore);
    }

    private static async Task<(TimeSpan Wall, long Evicted)> ReopenAsync(BenchBroker bench, BrokerModeOptions options, long expectedJobs)
    {
        // The closed broker's state is garbage: collect it now rather than inside the timed open.
        BrokerMemoryMode.HeapBytes();
        var evicted = options.ColdCache ? PageCache.Evict(bench.FullPath) : 0;
        var wall = bench.Reopen();
        var pending = (await bench.Broker.GetJobCountsAsync(bench.OrgId)).Pending;
        if (pending != expectedJobs || bench.Broker.Startup.Jobs != expectedJobs)
        {
            throw new InvalidOperationException($"Expected {expectedJobs} pending jobs after reopening, found {pending} ({bench.Broker.Startup.Jobs} jobs).");
        }

        return (wall, evicted);
    }

    private static void Report(string kind, TimeSpan wall, long evicted, StartupReport startup, TimeSpan target, string loadBefore)
    {
        var replay = startup.TotalTime - startup.SnapshotLoadTime;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"mode=broker-recovery recovery={kind} jobs={startup.Jobs} open_ms={wall.TotalMilliseconds:F0} startup_total_ms={startup.TotalTime.TotalMilliseconds:F0} log_open_and_snapshot_load_ms={startup.SnapshotLoadTime.TotalMilliseconds:F0} replay_ms={replay.TotalMilliseconds:F0} records_replayed={startup.RecordsReplayed} snapshot_position={startup.SnapshotPosition?.ToString(CultureInfo.InvariantCulture) ?? "none"} evicted_MiB={evicted / 1048576.0:F0} load={loadBefore}->{ProcessSample.LoadAverage()}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"target {kind} open <= {target.TotalSeconds:F0} s: {(wall <= target ? "met" : "NOT met")} ({wall.TotalSeconds:F2} s)"));
    }

    private static double DirectoryMiB(string path)
    {
        long bytes = 0;
        foreach (var file in new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            bytes += file.Length;
        }

        return bytes / 1048576.0;
    }
}
