namespace Spooled.Broker;

/// <summary>A queue configuration change; null fields keep their current value.</summary>
public sealed class QueueConfigUpdate
{
    /// <summary>0..100.</summary>
    public int? MaxRetries { get; init; }

    /// <summary>1..86400.</summary>
    public int? DefaultTimeout { get; init; }

    /// <summary>0..100000 jobs/s; see <see cref="ClearRateLimit"/>.</summary>
    public int? RateLimit { get; init; }

    /// <summary>Removes the rate limit.</summary>
    public bool ClearRateLimit { get; init; }

    /// <summary>False pauses, true resumes.</summary>
    public bool? Enabled { get; init; }

    /// <summary>Replaces the settings (UTF-8 JSON object).</summary>
    public byte[]? Settings { get; init; }

    /// <summary>1..86400.</summary>
    public int? BackoffBaseSeconds { get; init; }

    /// <summary>1..604800, at least the base.</summary>
    public int? BackoffMaxSeconds { get; init; }

    /// <summary>Randomize retry delays.</summary>
    public bool? BackoffJitter { get; init; }
}
