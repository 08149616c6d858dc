namespace Spooled.Broker;

/// <summary>
/// A job to enqueue. JSON fields (<see cref="Payload"/>, <see cref="Tags"/>) are UTF-8 JSON bytes
/// kept verbatim; the caller has checked they parse. Unset optional values take the queue's
/// configured defaults, then the broker's.
/// </summary>
public sealed class JobSpec
{
    /// <summary>Target queue; for bulk items, null means the request's queue.</summary>
    public string? QueueName { get; init; }

    /// <summary>
    /// The payload as UTF-8 JSON (may be the literal <c>null</c>), at most 1 MiB. The broker keeps
    /// this array rather than a copy: do not change it after enqueueing.
    /// </summary>
    public required byte[] Payload { get; init; }

    /// <summary>−100..100; default 0.</summary>
    public int? Priority { get; init; }

    /// <summary>0..100; default from the queue configuration, else 3.</summary>
    public int? MaxRetries { get; init; }

    /// <summary>1..86400; default from the queue configuration, else 300.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>When the job becomes claimable; a future time makes it <c>scheduled</c>.</summary>
    public DateTimeOffset? ScheduledAt { get; init; }

    /// <summary>After this time an unclaimed job is cancelled as expired.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Tags as UTF-8 JSON (array or object), at most 64 KiB.</summary>
    public byte[]? Tags { get; init; }

    /// <summary>Organization-wide deduplication key, at most 255 characters.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>URL called when the job completes (stored; delivery comes with outgoing webhooks).</summary>
    public string? CompletionWebhook { get; init; }

    /// <summary>A job of the same organization this one belongs under.</summary>
    public Guid? ParentJobId { get; init; }
}
