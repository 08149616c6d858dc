using Spooled.Broker;
using Spooled.Http.Json;

namespace Spooled.Http.Contracts.Workers;

/// <summary>
/// Every field of a worker (<c>GET /workers/{id}</c>), with the names both generations of the schema
/// use: Python reads <c>max_concurrent_jobs</c>, <c>current_job_count</c> and <c>registered_at</c>.
/// </summary>
public sealed class WorkerResponse
{
    /// <summary>Worker id.</summary>
    public required string Id { get; init; }

    /// <summary>Owning organization.</summary>
    public required string OrganizationId { get; init; }

    /// <summary>The queue it works.</summary>
    public required string QueueName { get; init; }

    /// <summary>The queues it works (always the one queue).</summary>
    public required IReadOnlyList<string> QueueNames { get; init; }

    /// <summary>Host name.</summary>
    public required string Hostname { get; init; }

    /// <summary>SDK or kind.</summary>
    public string? WorkerType { get; init; }

    /// <summary>Concurrency limit.</summary>
    public int MaxConcurrency { get; init; }

    /// <summary>Same as <see cref="MaxConcurrency"/>.</summary>
    public int MaxConcurrentJobs { get; init; }

    /// <summary>Jobs in hand at the last heartbeat.</summary>
    public int CurrentJobs { get; init; }

    /// <summary>Same as <see cref="CurrentJobs"/>.</summary>
    public int CurrentJobCount { get; init; }

    /// <summary><c>healthy</c>, <c>degraded</c>, <c>offline</c> or <c>draining</c>.</summary>
    public required string Status { get; init; }

    /// <summary>Last heartbeat (or registration).</summary>
    public DateTime LastHeartbeat { get; init; }

    /// <summary>Metadata, verbatim (<c>{}</c> when none was given).</summary>
    public required RawJson Metadata { get; init; }

    /// <summary>Worker version.</summary>
    public string? Version { get; init; }

    /// <summary>First registration.</summary>
    public DateTime CreatedAt { get; init; }

    /// <summary>Same as <see cref="CreatedAt"/>.</summary>
    public DateTime RegisteredAt { get; init; }

    /// <summary>Last change.</summary>
    public DateTime UpdatedAt { get; init; }

    /// <summary>Maps a broker view.</summary>
    public static WorkerResponse From(WorkerView worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        return new WorkerResponse
        {
            Id = worker.Id,
            OrganizationId = worker.OrganizationId,
            QueueName = worker.QueueName,
            QueueNames = [worker.QueueName],
            Hostname = worker.Hostname,
            WorkerType = worker.WorkerType,
            MaxConcurrency = worker.MaxConcurrency,
            MaxConcurrentJobs = worker.MaxConcurrency,
            CurrentJobs = worker.CurrentJobs,
            CurrentJobCount = worker.CurrentJobs,
            Status = worker.Status.ToWire(),
            LastHeartbeat = worker.LastHeartbeat.UtcDateTime,
            Metadata = worker.Metadata is { } metadata ? new RawJson(metadata) : new RawJson("{}"u8.ToArray()),
            Version = worker.Version,
            CreatedAt = worker.CreatedAt.UtcDateTime,
            RegisteredAt = worker.CreatedAt.UtcDateTime,
            UpdatedAt = worker.UpdatedAt.UtcDateTime,
        };
    }
}
