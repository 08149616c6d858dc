using Spooled.Http.Json;

namespace Spooled.Http.Contracts.Jobs;

/// <summary><c>POST /jobs</c>.</summary>
public sealed class CreateJobRequest
{
    /// <summary>Target queue.</summary>
    public required string QueueName { get; init; }

    /// <summary>Any JSON, at most 1 MiB.</summary>
    public required RawJson Payload { get; init; }

    /// <summary>−100..100.</summary>
    public int? Priority { get; init; }

    /// <summary>0..100.</summary>
    public int? MaxRetries { get; init; }

    /// <summary>1..86400.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>RFC 3339; a future time makes the job scheduled.</summary>
    public DateTimeOffset? ScheduledAt { get; init; }

    /// <summary>RFC 3339; an unclaimed job is cancelled after it.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Any JSON, at most 64 KiB.</summary>
    public RawJson? Tags { get; init; }

    /// <summary>Deduplication key, at most 255 characters.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Absolute http(s) URL.</summary>
    public string? CompletionWebhook { get; init; }

    /// <summary>A job id of the same organization.</summary>
    public string? ParentJobId { get; init; }
}
