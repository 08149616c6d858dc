namespace Spooled.Broker;

/// <summary>Up to 100 jobs for one queue, accepted or refused item by item and written as one record.</summary>
public sealed class BulkEnqueueRequest
{
    /// <summary>The queue every item goes to.</summary>
    public required string QueueName { get; init; }

    /// <summary>1..100 items; an item's own <see cref="JobSpec.QueueName"/> is ignored.</summary>
    public required IReadOnlyList<JobSpec> Jobs { get; init; }

    /// <summary>Priority for items that set none.</summary>
    public int? DefaultPriority { get; init; }

    /// <summary>Retry budget for items that set none.</summary>
    public int? DefaultMaxRetries { get; init; }

    /// <summary>Timeout for items that set none.</summary>
    public int? DefaultTimeoutSeconds { get; init; }
}
