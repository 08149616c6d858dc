namespace Spooled.Log;

/// <summary>When an append is acknowledged relative to fsync; see <see cref="DurabilityPolicy"/>.</summary>
public enum DurabilityMode : byte
{
    /// <summary>Acknowledge only after the batch's fdatasync returned.</summary>
    Fsync = 0,

    /// <summary>Acknowledge after write; fdatasync at least every interval.</summary>
    Interval = 1,

    /// <summary>Never fdatasync while running (tests and benchmarks only).</summary>
    None = 2,
}
