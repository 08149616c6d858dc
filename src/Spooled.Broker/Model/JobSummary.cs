namespace Spooled.Broker;

/// <summary>The list-view fields of a job.</summary>
public sealed record JobSummary(
    Guid Id,
    string QueueName,
    JobStatus Status,
    int Priority,
    int RetryCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ScheduledAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt);
