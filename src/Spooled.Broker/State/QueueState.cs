namespace Spooled.Broker.State;

/// <summary>One queue of one organization: its claimable jobs, its counts and its configuration.</summary>
internal sealed class QueueState
{
    public QueueState(OrgState org, string name, Guid id, long createdAt)
    {
        Org = org;
        Name = name;
        Id = id;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
    }

    public OrgState Org { get; }

    public string Name { get; }

    public Guid Id { get; }

    public ReadyHeap Ready { get; } = new();

    /// <summary>Jobs held per <see cref="JobStatus"/>.</summary>
    public long[] Counts { get; } = new long[JobStatusNames.Count];

    public HourlyStats Stats { get; } = new();

    /// <summary>Whether a configuration was set explicitly (listed even with no jobs).</summary>
    public bool Configured { get; set; }

    public int? MaxRetries { get; set; }

    public int? DefaultTimeout { get; set; }

    public int? RateLimit { get; set; }

    public byte[] Settings { get; set; } = "{}"u8.ToArray();

    public int BackoffBaseSeconds { get; set; } = 60;

    public int BackoffMaxSeconds { get; set; } = 3600;

    public bool BackoffJitter { get; set; }

    public bool Paused { get; set; }

    public long PausedAt { get; set; }

    public string? PausedReason { get; set; }

    public long CreatedAt { get; }

    public long UpdatedAt { get; set; }

    public long ActiveJobs => Counts[(int)JobStatus.Pending] + Counts[(int)JobStatus.Scheduled] + Counts[(int)JobStatus.Processing];

    public long TotalJobs
    {
        get
        {
            long total = 0;
            foreach (var count in Counts)
            {
                total += count;
            }

            return total;
        }
    }
}
