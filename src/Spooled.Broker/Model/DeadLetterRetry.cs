namespace Spooled.Broker;

/// <summary>
/// Which dead-lettered jobs to retry: the listed ids, else the oldest of a queue, else the oldest
/// of the organization, at most <see cref="Limit"/> (1..100) for the last two.
/// </summary>
public sealed class DeadLetterRetry
{
    /// <summary>Explicit ids (not capped by <see cref="Limit"/>; ids not dead-lettered are skipped).</summary>
    public IReadOnlyList<Guid>? JobIds { get; init; }

    /// <summary>Only this queue.</summary>
    public string? QueueName { get; init; }

    /// <summary>At most this many; default 100.</summary>
    public int Limit { get; init; } = 100;
}
