using Spooled.Broker;

namespace Spooled.Http.Contracts.Jobs;

/// <summary>A list item (<c>GET /jobs</c>, <c>GET /jobs/dlq</c>).</summary>
public sealed record JobSummaryResponse(
    Guid Id,
    string QueueName,
    string Status,
    int Priority,
    int RetryCount,
    DateTime CreatedAt,
    DateTime? ScheduledAt,
    DateTime? StartedAt,
    DateTime? CompletedAt)
{
    /// <summary>Maps a broker summary.</summary>
    public static JobSummaryResponse From(JobSummary job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new(job.Id, job.QueueName, job.Status.ToWire(), job.Priority, job.RetryCount, job.CreatedAt.UtcDateTime, job.ScheduledAt?.UtcDateTime, job.StartedAt?.UtcDateTime, job.CompletedAt?.UtcDateTime);
    }
}
