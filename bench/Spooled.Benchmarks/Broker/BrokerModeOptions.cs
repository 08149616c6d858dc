using System.Globalization;
using Spooled.Log;

namespace Spooled.Benchmarks.Broker;

/// <summary>
/// Arguments of the broker modes: <c>--jobs N --payload N --producers N --workers N --complete batch|single
/// --warmup N --tail N --probes N --durability fsync|none --cache warm|cold --snapshots auto|off --dir PATH</c>.
/// </summary>
internal sealed class BrokerModeOptions
{
    /// <summary>Jobs measured (enqueued, or held pending).</summary>
    public int Jobs { get; private set; } = 1_000_000;

    /// <summary>Payload size in bytes (UTF-8 JSON of exactly this length).</summary>
    public int Payload { get; private set; } = 200;

    /// <summary>Concurrent producer loops, each with one bulk enqueue of 100 in flight.</summary>
    public int Producers { get; private set; } = 4;

    /// <summary>Concurrent worker loops, each with one claim of 100 (then its completions) in flight.</summary>
    public int Workers { get; private set; } = 4;

    /// <summary>Complete with one <c>CompleteManyAsync</c> per claim (true) or one <c>CompleteAsync</c> per job.</summary>
    public bool BatchComplete { get; private set; } = true;

    /// <summary>
    /// Jobs per warm-up round run through the whole pipeline before the measured run, so that tiered
    /// compilation has finished and buffers and the thread pool are at working size (the run reports
    /// the JIT time left in its window). 0 skips the warm-up.
    /// </summary>
    public int Warmup { get; private set; } = 50_000;

    /// <summary>Jobs enqueued after the snapshot, before reopening (recovery mode).</summary>
    public int Tail { get; private set; } = 10_000;

    /// <summary>Concurrent single-enqueue loops whose latency is sampled (snapshot mode).</summary>
    public int Probes { get; private set; } = 4;

    public DurabilityPolicy Durability { get; private set; } = DurabilityPolicy.Fsync;

    /// <summary>Recovery mode: evict the log's files from the page cache before each reopen.</summary>
    public bool ColdCache { get; private set; }

    /// <summary>
    /// Throughput mode: let the broker take its automatic snapshots (the default), or none, to tell
    /// the snapshot's share of a run from the rest.
    /// </summary>
    public bool AutoSnapshots { get; private set; } = true;

    /// <summary>Parent of the benchmark directory; the log modes' default root when null.</summary>
    public string? Directory { get; private set; }

    public static BrokerModeOptions Parse(ReadOnlySpan<string> args)
    {
        var options = new BrokerModeOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"'{name}' needs a value.", nameof(args));
            }

            var value = args[++i];
            switch (name)
            {
                case "--jobs":
                    options.Jobs = ParseInt(value, 100, 50_000_000);
                    break;
                case "--payload":
                    options.Payload = ParseInt(value, JsonPayload.MinSize, 1024 * 1024);
                    break;
                case "--producers":
                    options.Producers = ParseInt(value, 1, 1024);
                    break;
                case "--workers":
                    options.Workers = ParseInt(value, 1, 1024);
                    break;
                case "--complete":
                    options.BatchComplete = value switch
                    {
                        "batch" => true,
                        "single" => false,
                        _ => throw new ArgumentException($"--complete must be batch or single, not '{value}'.", nameof(args)),
                    };
                    break;
                case "--warmup":
                    options.Warmup = ParseInt(value, 0, 10_000_000);
                    break;
                case "--tail":
                    options.Tail = ParseInt(value, 0, 10_000_000);
                    break;
                case "--probes":
                    options.Probes = ParseInt(value, 1, 1024);
                    break;
                case "--durability":
                    options.Durability = DurabilityPolicy.Parse(value);
                    break;
                case "--cache":
                    options.ColdCache = value switch
                    {
                        "cold" => true,
                        "warm" => false,
                        _ => throw new ArgumentException($"--cache must be warm or cold, not '{value}'.", nameof(args)),
                    };
                    break;
                case "--snapshots":
                    options.AutoSnapshots = value switch
                    {
                        "auto" => true,
                        "off" => false,
                        _ => throw new ArgumentException($"--snapshots must be auto or off, not '{value}'.", nameof(args)),
                    };
                    break;
                case "--dir":
                    options.Directory = value;
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{name}'.", nameof(args));
            }
        }

        return options;
    }

    private static int ParseInt(string text, int min, int max)
    {
        var value = int.Parse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture);
        ArgumentOutOfRangeException.ThrowIfLessThan(value, min, nameof(text));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, max, nameof(text));
        return value;
    }
}
