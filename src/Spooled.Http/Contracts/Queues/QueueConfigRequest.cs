using Spooled.Http.Json;

namespace Spooled.Http.Contracts.Queues;

/// <summary>
/// <c>PUT /queues/{name}/config</c> and <c>PUT /queues/{name}</c>: every field optional, an omitted
/// (or null) field keeps its value. <c>queue_name</c> is accepted and ignored (the path names the queue).
/// </summary>
public sealed class QueueConfigRequest
{
    /// <summary>Ignored; Node sends it.</summary>
    public string? QueueName { get; init; }

    /// <summary>0..100.</summary>
    public int? MaxRetries { get; init; }

    /// <summary>1..86400.</summary>
    public int? DefaultTimeout { get; init; }

    /// <summary>0..100000, or JSON null to remove the limit.</summary>
    public RawJson? RateLimit { get; init; }

    /// <summary>False pauses, true resumes.</summary>
    public bool? Enabled { get; init; }

    /// <summary>A JSON object replacing the settings.</summary>
    public RawJson? Settings { get; init; }

    /// <summary>1..86400.</summary>
    public int? BackoffBaseSecs { get; init; }

    /// <summary>1..604800, at least the base.</summary>
    public int? BackoffMaxSecs { get; init; }

    /// <summary>Randomize retry delays.</summary>
    public bool? BackoffJitter { get; init; }
}
