using System.Text.Json.Serialization;

namespace Spooled.Http.Contracts.Dashboard;

/// <summary>
/// The organization's jobs held per status, plus completions and failed attempts over the last 24
/// hours and the mean processing time of those completions.
/// </summary>
public sealed record DashboardJobs(
    long Total,
    long Pending,
    long Scheduled,
    long Processing,
    long Completed,
    long Failed,
    long Deadletter,
    long Cancelled,
    [property: JsonPropertyName("completed_24h")] long Completed24h,
    [property: JsonPropertyName("failed_24h")] long Failed24h,
    double? AvgWaitTimeMs,
    double? AvgProcessingTimeMs);
