using System.Runtime;
using Spooled.Benchmarks.Log;

namespace Spooled.Benchmarks.Broker;

/// <summary>
/// The broker's plain-console modes: the broker in process, no HTTP, its log on the real disk.
/// <code>
/// broker-throughput --jobs 1000000 --payload 200 --producers 4 --workers 4 --complete batch|single   enqueue and end-to-end jobs/s, B allocated/job
/// broker-memory     --jobs 1000000 --payload 200                                                     heap bytes per pending job beyond its payload
/// broker-recovery   --jobs 1000000 --payload 200 --tail 10000 [--cache cold]                         reopen time: replay only, then snapshot + tail
/// broker-snapshot   --jobs 1000000 --payload 200 --probes 4                                          snapshot pause; enqueue latency around it
/// </code>
/// Each also takes <c>--durability fsync|none</c> (default fsync) and <c>--dir PATH</c>, prints one
/// line of key=value per measurement, and deletes its directory when done.
/// </summary>
internal static class BrokerModes
{
    public static bool IsMode(string name) => name is "broker-throughput" or "broker-memory" or "broker-recovery" or "broker-snapshot";

    public static int Run(string[] args)
    {
        var options = BrokerModeOptions.Parse(args.AsSpan(1));
        var root = options.Directory ?? BenchDirectory.Root;
        Console.WriteLine($"# mode={args[0]} fs={BenchDirectory.FileSystemType(root)} cores={Environment.ProcessorCount} runtime={Environment.Version} gc={(GCSettings.IsServerGC ? "server" : "workstation")} load={ProcessSample.LoadAverage()}");
        var run = args[0] switch
        {
            "broker-throughput" => BrokerThroughputMode.RunAsync(options),
            "broker-memory" => BrokerMemoryMode.RunAsync(options),
            "broker-recovery" => BrokerRecoveryMode.RunAsync(options),
            _ => BrokerSnapshotMode.RunAsync(options),
        };
        run.GetAwaiter().GetResult();
        return 0;
    }
}
