using System.Globalization;
using Spooled.Log;

namespace Spooled.Benchmarks.Log;

/// <summary>Arguments of the console modes: <c>--size N --block N --appenders N --seconds S --warmup S --durability fsync|none --dir PATH</c>.</summary>
internal sealed class ModeOptions
{
    /// <summary>Record (payload) size in bytes.</summary>
    public int Size { get; private set; } = 128;

    /// <summary>Bytes per write of the raw latency loop (fsyncbench.c uses 4 KiB).</summary>
    public int Block { get; private set; } = 4096;

    /// <summary>
    /// For the raw latency loop: 0 appends to a growing file (as fsyncbench.c does); N &gt; 0 first fills
    /// N MiB with zeros and syncs, then overwrites that region round robin, so no write changes the size.
    /// </summary>
    public int PreallocateMiB { get; private set; }

    /// <summary>Concurrent appenders (the latency mode always uses one).</summary>
    public int Appenders { get; private set; } = 1;

    /// <summary>Length of the measured window.</summary>
    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time run before the measured window starts (not measured).</summary>
    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(2);

    public DurabilityPolicy Durability { get; private set; } = DurabilityPolicy.Fsync;

    /// <summary>Whether to name the allocated types (see <see cref="AllocationSampler"/>): <c>--sample-allocations on</c>.</summary>
    public bool SampleAllocations { get; private set; }

    /// <summary>Parent of the benchmark directory; <see cref="BenchDirectory.Root"/> when null.</summary>
    public string? Directory { get; private set; }

    public static ModeOptions Parse(ReadOnlySpan<string> args)
    {
        var options = new ModeOptions();
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
                case "--size":
                    options.Size = ParseInt(value, 1, 4 * 1024 * 1024);
                    break;
                case "--block":
                    options.Block = ParseInt(value, 1, 64 * 1024 * 1024);
                    break;
                case "--preallocate":
                    options.PreallocateMiB = ParseInt(value, 0, 4096);
                    break;
                case "--appenders":
                    options.Appenders = ParseInt(value, 1, 1_000_000);
                    break;
                case "--seconds":
                    options.Duration = ParseSeconds(value);
                    break;
                case "--warmup":
                    options.Warmup = ParseSeconds(value, allowZero: true);
                    break;
                case "--durability":
                    options.Durability = DurabilityPolicy.Parse(value);
                    break;
                case "--sample-allocations":
                    options.SampleAllocations = value is "on" or "true" or "1";
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
        var value = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        ArgumentOutOfRangeException.ThrowIfLessThan(value, min, nameof(text));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, max, nameof(text));
        return value;
    }

    private static TimeSpan ParseSeconds(string text, bool allowZero = false)
    {
        var seconds = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        // Every mode is bounded: at most ten minutes of measuring.
        if (seconds < 0 || (seconds == 0 && !allowZero) || seconds > 600)
        {
            throw new ArgumentOutOfRangeException(nameof(text), text, "Seconds must be in (0, 600].");
        }

        return TimeSpan.FromSeconds(seconds);
    }
}
