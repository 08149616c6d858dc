namespace Spooled.Broker;

/// <summary>A worker asking for up to <see cref="Limit"/> jobs from one queue.</summary>
public sealed class ClaimRequest
{
    /// <summary>The queue to take from.</summary>
    public required string QueueName { get; init; }

    /// <summary>The claiming worker (any string; it need not be registered).</summary>
    public required string WorkerId { get; init; }

    /// <summary>1..100; default 1.</summary>
    public int Limit { get; init; } = 1;

    /// <summary>Lease length, 5..3600 s; default 30.</summary>
    public int LeaseSeconds { get; init; } = 30;

    /// <summary>
    /// Long poll, 0..30 s: when nothing is claimable, wait up to this long for a job (answered as
    /// soon as one is enqueued, becomes due or is released) instead of answering empty at once.
    /// </summary>
    public int WaitSeconds { get; init; }
}
