namespace Spooled.Broker;

/// <summary>Which dead-lettered jobs to delete for good; filters combine (all must match).</summary>
public sealed class DeadLetterPurge
{
    /// <summary>Only these ids.</summary>
    public IReadOnlyList<Guid>? JobIds { get; init; }

    /// <summary>Only this queue.</summary>
    public string? QueueName { get; init; }

    /// <summary>Only jobs created before this time.</summary>
    public DateTimeOffset? OlderThan { get; init; }

    /// <summary>At most this many (1..10000); default 10000.</summary>
    public int Limit { get; init; } = 10_000;
}
