namespace Spooled.Broker;

/// <summary>A job handed to a worker under a fresh lease.</summary>
public readonly record struct ClaimedJob(
    Guid Id,
    string QueueName,
    byte[] Payload,
    int Priority,
    int RetryCount,
    int MaxRetries,
    int TimeoutSeconds,
    Guid LeaseId,
    DateTimeOffset LeaseExpiresAt);
