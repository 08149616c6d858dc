namespace Spooled.Benchmarks.Log;

/// <summary>
/// The plain-console modes, for figures BenchmarkDotNet's per-invocation shape does not give: a timed
/// run at a steady concurrency, a latency distribution, and the disk's own limits measured by the same
/// process on the same disk.
/// <code>
/// throughput --size 128 --appenders 1024 --seconds 10 --durability fsync   appends/s, MiB/s, B allocated/append
/// latency    --size 128 --seconds 10 --durability fsync                    1 appender: p50/p99 append latency
/// raw        --seconds 10 [--block 4096]                                   64 KiB writes + fdatasync per MiB; 4 KiB write + fdatasync latency
/// </code>
/// Each prints one line of key=value per measurement; every run is bounded by its seconds.
/// </summary>
internal static class LogModes
{
    public static bool IsMode(string name) => name is "throughput" or "latency" or "raw";

    public static int Run(string[] args)
    {
        var options = ModeOptions.Parse(args.AsSpan(1));
        var root = options.Directory ?? BenchDirectory.Root;
        Console.WriteLine($"# mode={args[0]} fs={BenchDirectory.FileSystemType(root)} cores={Environment.ProcessorCount} runtime={Environment.Version} load={ProcessSample.LoadAverage()}");
        switch (args[0])
        {
            case "throughput":
                ThroughputMode.Run(options);
                break;
            case "latency":
                LatencyMode.Run(options);
                break;
            default:
                RawDiskMode.Run(options);
                break;
        }

        return 0;
    }
}
