namespace Spooled.Broker;

/// <summary>Every field of a job, copied out of the broker's state.</summary>
public sealed class JobView
{
    /// <summary>Job id.</summary>
    public required Guid Id { get; init; }

    /// <summary>Owning organization.</summary>
    public required string OrganizationId { get; init; }

    /// <summary>Queue.</summary>
    public required string QueueName { get; init; }

    /// <summary>Status.</summary>
    public required JobStatus Status { get; init; }

    /// <summary>Payload (UTF-8 JSON).</summary>
    public required byte[] Payload { get; init; }

    /// <summary>Result (UTF-8 JSON) once completed.</summary>
    public byte[]? Result { get; init; }

    /// <summary>Failed attempts so far.</summary>
    public int RetryCount { get; init; }

    /// <summary>Retry budget.</summary>
    public int MaxRetries { get; init; }

    /// <summary>Why the last attempt failed (or why the job expired).</summary>
    public string? LastError { get; init; }

    /// <summary>Enqueue time.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Last change.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When it is (or was) due.</summary>
    public DateTimeOffset? ScheduledAt { get; init; }

    /// <summary>First claim.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Completion or cancellation time.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Expiry of an unclaimed job.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Priority.</summary>
    public int Priority { get; init; }

    /// <summary>Tags (UTF-8 JSON).</summary>
    public byte[]? Tags { get; init; }

    /// <summary>Per-attempt timeout.</summary>
    public int TimeoutSeconds { get; init; }

    /// <summary>Parent job.</summary>
    public Guid? ParentJobId { get; init; }

    /// <summary>Completion webhook URL.</summary>
    public string? CompletionWebhook { get; init; }

    /// <summary>Worker holding (or that last held) the job.</summary>
    public string? AssignedWorkerId { get; init; }

    /// <summary>Current lease, while processing.</summary>
    public Guid? LeaseId { get; init; }

    /// <summary>Current lease expiry, while processing.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>Idempotency key.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Last progress report (UTF-8 JSON).</summary>
    public byte[]? Progress { get; init; }
}
