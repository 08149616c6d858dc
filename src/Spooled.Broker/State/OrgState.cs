namespace Spooled.Broker.State;

/// <summary>One organization and everything scoped to it.</summary>
internal sealed class OrgState
{
    public OrgState(string id, long createdAt)
    {
        Id = id;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
    }

    public string Id { get; }

    public string Name { get; set; } = "";

    public string Slug { get; set; } = "";

    public string PlanTier { get; set; } = "free";

    public string? BillingEmail { get; set; }

    public byte[] Settings { get; set; } = "{}"u8.ToArray();

    public long CreatedAt { get; }

    public long UpdatedAt { get; set; }

    public Dictionary<string, QueueState> Queues { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Job> Idempotency { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, WorkerState> Workers { get; } = new(StringComparer.Ordinal);

    public List<ApiKeyState> ApiKeys { get; } = [];

    /// <summary>Completed and cancelled jobs in the order they finished: retention removes from the front.</summary>
    public Queue<Job> Finished { get; } = new();

    /// <summary>Every job held, in enqueue order (removed jobs leave a null until compaction).</summary>
    public JobList Jobs { get; } = new();

    /// <summary>Jobs held per <see cref="JobStatus"/>.</summary>
    public long[] Counts { get; } = new long[JobStatusNames.Count];
}
