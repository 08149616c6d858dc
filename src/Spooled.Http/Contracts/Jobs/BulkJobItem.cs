using Spooled.Http.Json;

namespace Spooled.Http.Contracts.Jobs;

/// <summary>One item of <c>POST /jobs/bulk</c>.</summary>
public sealed class BulkJobItem
{
    /// <summary>Any JSON.</summary>
    public RawJson? Payload { get; init; }

    /// <summary>−100..100.</summary>
    public int? Priority { get; init; }

    /// <summary>Deduplication key.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>RFC 3339.</summary>
    public DateTimeOffset? ScheduledAt { get; init; }

    /// <summary>0..100.</summary>
    public int? MaxRetries { get; init; }

    /// <summary>1..86400.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>RFC 3339.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Any JSON.</summary>
    public RawJson? Tags { get; init; }
}
