using System.Text.Json.Serialization;
using Spooled.Broker;

namespace Spooled.Http.Contracts.Queues;

/// <summary>
/// <c>GET /queues/{name}/stats</c>. The average is whole milliseconds: the Go SDK decodes it into an
/// integer and fails on a fraction.
/// </summary>
public sealed record QueueStatsResponse(
    string QueueName,
    long PendingJobs,
    long ProcessingJobs,
    [property: JsonPropertyName("completed_jobs_24h")] long CompletedJobs24h,
    [property: JsonPropertyName("failed_jobs_24h")] long FailedJobs24h,
    long? AvgProcessingTimeMs,
    long? MaxJobAgeSeconds,
    int ActiveWorkers,
    long ScheduledJobs,
    bool Paused)
{
    /// <summary>Maps broker figures.</summary>
    public static QueueStatsResponse From(QueueStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return new(stats.QueueName, stats.PendingJobs, stats.ProcessingJobs, stats.CompletedJobs24h, stats.FailedJobs24h, stats.AverageProcessingTimeMs is { } average ? (long)Math.Round(average) : null, stats.MaxJobAgeSeconds, stats.ActiveWorkers, stats.ScheduledJobs, stats.Paused);
    }
}
