namespace Spooled.Broker;

/// <summary>A queue's configuration and pause state. Queues exist once a job or a configuration names them.</summary>
public sealed class QueueView
{
    /// <summary>Queue name.</summary>
    public required string QueueName { get; init; }

    /// <summary>Owning organization.</summary>
    public required string OrganizationId { get; init; }

    /// <summary>Stable id of the queue's configuration.</summary>
    public required Guid Id { get; init; }

    /// <summary>Default retry budget for new jobs.</summary>
    public int MaxRetries { get; init; }

    /// <summary>Default per-attempt timeout for new jobs.</summary>
    public int DefaultTimeout { get; init; }

    /// <summary>Jobs per second (stored; enforcement comes with rate limits).</summary>
    public int? RateLimit { get; init; }

    /// <summary>False while paused.</summary>
    public bool Enabled { get; init; }

    /// <summary>Free-form settings (UTF-8 JSON object).</summary>
    public required byte[] Settings { get; init; }

    /// <summary>First retry delay; doubles per failed attempt.</summary>
    public int BackoffBaseSeconds { get; init; }

    /// <summary>Longest retry delay.</summary>
    public int BackoffMaxSeconds { get; init; }

    /// <summary>Whether retry delays are randomized (between half and all of the computed delay).</summary>
    public bool BackoffJitter { get; init; }

    /// <summary>When paused.</summary>
    public DateTimeOffset? PausedAt { get; init; }

    /// <summary>Why paused.</summary>
    public string? PausedReason { get; init; }

    /// <summary>First seen.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Last configuration change.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
