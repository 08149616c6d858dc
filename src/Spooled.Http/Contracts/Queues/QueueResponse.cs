using Spooled.Broker;
using Spooled.Http.Json;

namespace Spooled.Http.Contracts.Queues;

/// <summary>A queue's full configuration (<c>GET /queues/{name}</c>, <c>PUT …/config</c>).</summary>
public sealed class QueueResponse
{
    /// <summary>Configuration id.</summary>
    public required Guid Id { get; init; }

    /// <summary>Owning organization.</summary>
    public required string OrganizationId { get; init; }

    /// <summary>Queue name.</summary>
    public required string QueueName { get; init; }

    /// <summary>Default retry budget for new jobs.</summary>
    public int MaxRetries { get; init; }

    /// <summary>Default per-attempt timeout for new jobs.</summary>
    public int DefaultTimeout { get; init; }

    /// <summary>Jobs per second, or null.</summary>
    public int? RateLimit { get; init; }

    /// <summary>False while paused.</summary>
    public bool Enabled { get; init; }

    /// <summary>Free-form settings, verbatim.</summary>
    public required RawJson Settings { get; init; }

    /// <summary>First retry delay in seconds; doubles per failed attempt.</summary>
    public int BackoffBaseSecs { get; init; }

    /// <summary>Longest retry delay in seconds.</summary>
    public int BackoffMaxSecs { get; init; }

    /// <summary>Whether retry delays are randomized.</summary>
    public bool BackoffJitter { get; init; }

    /// <summary>Same as not <see cref="Enabled"/>.</summary>
    public bool Paused { get; init; }

    /// <summary>When paused.</summary>
    public DateTime? PausedAt { get; init; }

    /// <summary>Why paused.</summary>
    public string? PausedReason { get; init; }

    /// <summary>First seen.</summary>
    public DateTime CreatedAt { get; init; }

    /// <summary>Last configuration change.</summary>
    public DateTime UpdatedAt { get; init; }

    /// <summary>Maps a broker view.</summary>
    public static QueueResponse From(QueueView queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return new QueueResponse
        {
            Id = queue.Id,
            OrganizationId = queue.OrganizationId,
            QueueName = queue.QueueName,
            MaxRetries = queue.MaxRetries,
            DefaultTimeout = queue.DefaultTimeout,
            RateLimit = queue.RateLimit,
            Enabled = queue.Enabled,
            Settings = new RawJson(queue.Settings),
            BackoffBaseSecs = queue.BackoffBaseSeconds,
            BackoffMaxSecs = queue.BackoffMaxSeconds,
            BackoffJitter = queue.BackoffJitter,
            Paused = !queue.Enabled,
            PausedAt = queue.PausedAt?.UtcDateTime,
            PausedReason = queue.PausedReason,
            CreatedAt = queue.CreatedAt.UtcDateTime,
            UpdatedAt = queue.UpdatedAt.UtcDateTime,
        };
    }
}
