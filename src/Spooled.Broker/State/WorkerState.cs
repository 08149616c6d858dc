namespace Spooled.Broker.State;

/// <summary>A registered worker.</summary>
internal sealed class WorkerState
{
    public WorkerState(string id, long createdAt)
    {
        Id = id;
        CreatedAt = createdAt;
    }

    public string Id { get; }

    public string QueueName { get; set; } = "";

    public string Hostname { get; set; } = "";

    public string? WorkerType { get; set; }

    public int MaxConcurrency { get; set; }

    public int CurrentJobs { get; set; }

    /// <summary>The status the worker reported (or offline after deregistering).</summary>
    public WorkerStatus ReportedStatus { get; set; }

    public long LastHeartbeat { get; set; }

    public byte[]? Metadata { get; set; }

    public string? Version { get; set; }

    public long CreatedAt { get; }

    public long UpdatedAt { get; set; }
}
