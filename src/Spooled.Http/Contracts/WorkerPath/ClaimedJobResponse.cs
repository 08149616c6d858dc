using Spooled.Broker;
using Spooled.Http.Json;

namespace Spooled.Http.Contracts.WorkerPath;

/// <summary>A job handed to a worker, with the lease to send back on complete, fail and heartbeat.</summary>
public sealed record ClaimedJobResponse(
    Guid Id,
    string QueueName,
    RawJson Payload,
    int RetryCount,
    int MaxRetries,
    int TimeoutSeconds,
    DateTime LeaseExpiresAt,
    Guid LeaseId,
    int Priority)
{
    /// <summary>Maps a broker claim.</summary>
    public static ClaimedJobResponse From(ClaimedJob job) =>
        new(job.Id, job.QueueName, new RawJson(job.Payload), job.RetryCount, job.MaxRetries, job.TimeoutSeconds, job.LeaseExpiresAt.UtcDateTime, job.LeaseId, job.Priority);
}
