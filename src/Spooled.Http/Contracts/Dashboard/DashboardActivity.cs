using System.Text.Json.Serialization;

namespace Spooled.Http.Contracts.Dashboard;

/// <summary>The jobs created in the last hour, and how many of those have completed or been dead-lettered.</summary>
public sealed record DashboardActivity(
    [property: JsonPropertyName("jobs_created_1h")] long JobsCreated1h,
    [property: JsonPropertyName("jobs_completed_1h")] long JobsCompleted1h,
    [property: JsonPropertyName("jobs_failed_1h")] long JobsFailed1h);
