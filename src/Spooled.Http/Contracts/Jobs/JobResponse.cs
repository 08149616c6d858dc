using Spooled.Broker;
using Spooled.Http.Json;

namespace Spooled.Http.Contracts.Jobs;

/// <summary>Every field of a job (<c>GET /jobs/{id}</c>).</summary>
public sealed class JobResponse
{
    /// <summary>Job id.</summary>
    public required Guid Id { get; init; }

    /// <summary>Owning organization.</summary>
    public required string OrganizationId { get; init; }

    /// <summary>Queue.</summary>
    public required string QueueName { get; init; }

    /// <summary>Status (wire name).</summary>
    public required string Status { get; init; }

    /// <summary>Payload, verbatim.</summary>
    public required RawJson Payload { get; init; }

    /// <summary>Result, verbatim.</summary>
    public RawJson? Result { get; init; }

    /// <summary>Failed attempts.</summary>
    public int RetryCount { get; init; }

    /// <summary>Retry budget.</summary>
    public int MaxRetries { get; init; }

    /// <summary>Last error.</summary>
    public string? LastError { get; init; }

    /// <summary>Created.</summary>
    public DateTime CreatedAt { get; init; }

    /// <summary>Scheduled (or retry) time.</summary>
    public DateTime? ScheduledAt { get; init; }

    /// <summary>First claim.</summary>
    public DateTime? StartedAt { get; init; }

    /// <summary>Completion or cancellation.</summary>
    public DateTime? CompletedAt { get; init; }

    /// <summary>Expiry of an unclaimed job.</summary>
    public DateTime? ExpiresAt { get; init; }

    /// <summary>Priority.</summary>
    public int Priority { get; init; }

    /// <summary>Tags, verbatim.</summary>
    public RawJson? Tags { get; init; }

    /// <summary>Per-attempt timeout.</summary>
    public int TimeoutSeconds { get; init; }

    /// <summary>Parent job.</summary>
    public Guid? ParentJobId { get; init; }

    /// <summary>Completion webhook.</summary>
    public string? CompletionWebhook { get; init; }

    /// <summary>Worker holding (or that last held) the job.</summary>
    public string? AssignedWorkerId { get; init; }

    /// <summary>Current lease.</summary>
    public Guid? LeaseId { get; init; }

    /// <summary>Current lease expiry.</summary>
    public DateTime? LeaseExpiresAt { get; init; }

    /// <summary>Idempotency key.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Last change.</summary>
    public DateTime UpdatedAt { get; init; }

    /// <summary>Workflow (none until workflows exist).</summary>
    public Guid? WorkflowId { get; init; }

    /// <summary>Dependency mode (<c>all</c> until dependencies exist).</summary>
    public string DependencyMode { get; init; } = "all";

    /// <summary>Whether dependencies are met (true until dependencies exist).</summary>
    public bool DependenciesMet { get; init; } = true;

    /// <summary>Last progress report.</summary>
    public RawJson? Progress { get; init; }

    /// <summary>Maps a broker view.</summary>
    public static JobResponse From(JobView job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new JobResponse
        {
            Id = job.Id,
            OrganizationId = job.OrganizationId,
            QueueName = job.QueueName,
            Status = job.Status.ToWire(),
            Payload = new RawJson(job.Payload),
            Result = RawJson.From(job.Result),
            RetryCount = job.RetryCount,
            MaxRetries = job.MaxRetries,
            LastError = job.LastError,
            CreatedAt = job.CreatedAt.UtcDateTime,
            ScheduledAt = job.ScheduledAt?.UtcDateTime,
            StartedAt = job.StartedAt?.UtcDateTime,
            CompletedAt = job.CompletedAt?.UtcDateTime,
            ExpiresAt = job.ExpiresAt?.UtcDateTime,
            Priority = job.Priority,
            Tags = RawJson.From(job.Tags),
            TimeoutSeconds = job.TimeoutSeconds,
            ParentJobId = job.ParentJobId,
            CompletionWebhook = job.CompletionWebhook,
            AssignedWorkerId = job.AssignedWorkerId,
            LeaseId = job.LeaseId,
            LeaseExpiresAt = job.LeaseExpiresAt?.UtcDateTime,
            IdempotencyKey = job.IdempotencyKey,
            UpdatedAt = job.UpdatedAt.UtcDateTime,
            Progress = RawJson.From(job.Progress),
        };
    }
}
