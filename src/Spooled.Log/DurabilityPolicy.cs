namespace Spooled.Log;

/// <summary>
/// The one rule for when an append is acknowledged. <see cref="Fsync"/> is the default and the only
/// policy under which an acknowledged record survives power loss. <see cref="Interval"/> trades up to
/// one interval of acknowledged records on power loss (not on a process crash: the page cache survives
/// that) for lower latency. <see cref="None"/> is for tests and benchmarks.
/// </summary>
public sealed record DurabilityPolicy
{
    private DurabilityPolicy(DurabilityMode mode, TimeSpan interval)
    {
        Mode = mode;
        SyncInterval = interval;
    }

    /// <summary>Acknowledge an append only after its batch's fdatasync returned (group commit).</summary>
    public static DurabilityPolicy Fsync { get; } = new(DurabilityMode.Fsync, TimeSpan.Zero);

    /// <summary>Never fdatasync while running; only a clean close syncs. Tests and benchmarks only.</summary>
    public static DurabilityPolicy None { get; } = new(DurabilityMode.None, TimeSpan.Zero);

    /// <summary>The mode.</summary>
    public DurabilityMode Mode { get; }

    /// <summary>The longest time written data may stay unsynced (<see cref="DurabilityMode.Interval"/> only).</summary>
    public TimeSpan SyncInterval { get; }

    /// <summary>Acknowledge after write and fdatasync at least every <paramref name="milliseconds"/> ms (1..60,000).</summary>
    public static DurabilityPolicy Interval(int milliseconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(milliseconds, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(milliseconds, 60_000);
        return new(DurabilityMode.Interval, TimeSpan.FromMilliseconds(milliseconds));
    }

    /// <summary>Parses "fsync", "none" or "interval:MS" (as used in configuration).</summary>
    public static DurabilityPolicy Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Equals("fsync", StringComparison.OrdinalIgnoreCase))
        {
            return Fsync;
        }

        if (trimmed.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return None;
        }

        const string prefix = "interval:";
        if (trimmed.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && int.TryParse(trimmed.AsSpan(prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms)
            && ms is >= 1 and <= 60_000)
        {
            return Interval(ms);
        }

        throw new FormatException($"'{text}' is not a durability policy: use 'fsync', 'none' or 'interval:MS' with MS from 1 to 60000.");
    }

    /// <inheritdoc />
    public override string ToString() => Mode switch
    {
        DurabilityMode.Interval => $"interval:{(int)SyncInterval.TotalMilliseconds}",
        DurabilityMode.None => "none",
        _ => "fsync",
    };
}
