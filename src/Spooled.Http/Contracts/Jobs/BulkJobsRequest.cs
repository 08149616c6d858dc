namespace Spooled.Http.Contracts.Jobs;

/// <summary><c>POST /jobs/bulk</c>.</summary>
public sealed class BulkJobsRequest
{
    /// <summary>Queue for every item.</summary>
    public required string QueueName { get; init; }

    /// <summary>1..100 items.</summary>
    public required IReadOnlyList<BulkJobItem> Jobs { get; init; }

    /// <summary>Priority for items without one.</summary>
    public int? DefaultPriority { get; init; }

    /// <summary>Retry budget for items without one.</summary>
    public int? DefaultMaxRetries { get; init; }

    /// <summary>Timeout for items without one.</summary>
    public int? DefaultTimeoutSeconds { get; init; }
}
