using Spooled.Broker.State;

namespace Spooled.Broker.Snapshots;

/// <summary>
/// A job's fields at the moment of a snapshot. Scalars are copied; the payload is shared because it
/// never changes; details are cloned unless the job is finished (shallowly: their arrays and strings
/// never change either).
/// </summary>
internal readonly struct JobCapture(Job job, int queueIndex)
{
    public Guid Id { get; } = job.Id;

    public long Seq { get; } = job.Seq;

    public int QueueIndex { get; } = queueIndex;

    public byte[] Payload { get; } = job.Payload;

    public long CreatedAt { get; } = job.CreatedAt;

    public long UpdatedAt { get; } = job.UpdatedAt;

    public long ScheduledAt { get; } = job.ScheduledAt;

    public int TimeoutSeconds { get; } = job.TimeoutSeconds;

    public short Priority { get; } = job.Priority;

    public short RetryCount { get; } = job.RetryCount;

    public short MaxRetries { get; } = job.MaxRetries;

    public JobStatus Status { get; } = job.Status;

    /// <summary>
    /// Completed and cancelled jobs never change again, so their details are shared; the others are
    /// cloned (a million clones would be a pause of their own).
    /// </summary>
    public JobDetails? Details { get; } = job.Status is JobStatus.Completed or JobStatus.Cancelled ? job.Details : job.Details?.Clone();
}
