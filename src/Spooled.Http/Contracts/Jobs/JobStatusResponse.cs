using Spooled.Broker;

namespace Spooled.Http.Contracts.Jobs;

/// <summary>An item of <c>GET /jobs/status?ids=</c>.</summary>
public sealed record JobStatusResponse(Guid Id, string Status, string QueueName, int RetryCount, DateTime CreatedAt, DateTime? CompletedAt)
{
    /// <summary>Maps a broker summary.</summary>
    public static JobStatusResponse From(JobSummary job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new(job.Id, job.Status.ToWire(), job.QueueName, job.RetryCount, job.CreatedAt.UtcDateTime, job.CompletedAt?.UtcDateTime);
    }
}
