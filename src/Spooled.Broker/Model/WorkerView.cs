namespace Spooled.Broker;

/// <summary>A registered worker, with its status derived from its heartbeat age.</summary>
public sealed class WorkerView
{
    /// <summary>Worker id.</summary>
    public required string Id { get; init; }

    /// <summary>Owning organization.</summary>
    public required string OrganizationId { get; init; }

    /// <summary>The queue it works.</summary>
    public required string QueueName { get; init; }

    /// <summary>Host name.</summary>
    public required string Hostname { get; init; }

    /// <summary>SDK or kind.</summary>
    public string? WorkerType { get; init; }

    /// <summary>Concurrency limit.</summary>
    public int MaxConcurrency { get; init; }

    /// <summary>Jobs in hand at the last heartbeat.</summary>
    public int CurrentJobs { get; init; }

    /// <summary>Status now.</summary>
    public WorkerStatus Status { get; init; }

    /// <summary>Last heartbeat (or registration).</summary>
    public DateTimeOffset LastHeartbeat { get; init; }

    /// <summary>UTF-8 JSON.</summary>
    public byte[]? Metadata { get; init; }

    /// <summary>Worker version.</summary>
    public string? Version { get; init; }

    /// <summary>First registration.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Last change.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
