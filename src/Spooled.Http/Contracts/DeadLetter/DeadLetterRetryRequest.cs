namespace Spooled.Http.Contracts.DeadLetter;

/// <summary><c>POST /jobs/dlq/retry</c>: the listed jobs, else the oldest of a queue, else the oldest of the organization.</summary>
public sealed class DeadLetterRetryRequest
{
    /// <summary>Explicit ids (ids that are not dead-lettered jobs of the caller are skipped).</summary>
    public IReadOnlyList<string>? JobIds { get; init; }

    /// <summary>Only this queue.</summary>
    public string? QueueName { get; init; }

    /// <summary>1..100; default 100.</summary>
    public int? Limit { get; init; }
}
