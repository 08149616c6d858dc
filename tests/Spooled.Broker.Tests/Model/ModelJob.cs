namespace Spooled.Broker.Tests.Model;

/// <summary>
/// A job as the reference model sees it. Jobs are known by <see cref="N"/>, the number in their
/// payload, because the broker picks ids: an enqueue whose answer was lost in a crash is found again
/// by its payload.
/// </summary>
internal sealed class ModelJob
{
    public required int N { get; init; }

    /// <summary>The broker's id; <see cref="Guid.Empty"/> while not yet known.</summary>
    public Guid Id { get; set; }

    public required string Queue { get; init; }

    /// <summary>Enqueue order: the FIFO tie-break.</summary>
    public required long Seq { get; init; }

    public required int MaxRetries { get; init; }

    public string? Key { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The first claim's time (kept through retries).</summary>
    public DateTimeOffset? StartedAt { get; set; }

    public int Priority { get; set; }

    public JobStatus Status { get; set; }

    public int RetryCount { get; set; }

    /// <summary>When the job is (or was) due; null for none.</summary>
    public DateTimeOffset? ScheduledAt { get; set; }

    /// <summary>
    /// With <see cref="ScheduledAt"/>, the range the broker may have recorded: a lease expiry is
    /// recorded when the engine notices it, anywhere between the lease's end and the clock's new time.
    /// Equal to <see cref="ScheduledAt"/> when the value is exact.
    /// </summary>
    public DateTimeOffset? ScheduledAtEarliest { get; set; }

    public string? LastError { get; set; }

    /// <summary>Completion or cancellation time (the start of the retention window).</summary>
    public DateTimeOffset? FinishedAt { get; set; }

    public byte[]? Result { get; set; }

    /// <summary>The worker holding (or that last held) the job.</summary>
    public string? Worker { get; set; }

    /// <summary>The current lease while processing: <see cref="Guid.Empty"/> when the claim's answer was lost; null otherwise.</summary>
    public Guid? LeaseId { get; set; }

    public DateTimeOffset LeaseExpiresAt { get; set; }

    /// <summary>Removed by the broker (retention or purge): it must no longer be found.</summary>
    public bool Gone { get; set; }

    public bool IsWaiting => !Gone && Status is JobStatus.Pending or JobStatus.Scheduled;

    public ModelJob Clone() => (ModelJob)MemberwiseClone();

    public override string ToString() => $"job {N} ({Id})";
}
