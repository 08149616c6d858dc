using System.Text.Json.Serialization;

namespace Spooled.Http.Contracts.Admin;

/// <summary>Jobs: active ones now, finished ones over the last 24 hours.</summary>
public sealed record AdminJobStats(
    long TotalActive,
    long Pending,
    long Processing,
    [property: JsonPropertyName("completed_24h")] long Completed24h,
    [property: JsonPropertyName("failed_24h")] long Failed24h);
