namespace Spooled.Broker.State;

/// <summary>
/// One job in memory. Kept small because a million of them may wait: fields every job needs live
/// here, the rest (lease, result, error, tags…) in <see cref="Details"/>, allocated on first use.
/// Owned by the engine thread; never handed out (reads copy into views).
/// </summary>
internal sealed class Job
{
    public Job(Guid id, long seq, QueueState queue, byte[] payload)
    {
        Id = id;
        Seq = seq;
        Queue = queue;
        Payload = payload;
    }

    public Guid Id { get; }

    /// <summary>Enqueue order, unique and increasing: the FIFO tie-break and the list order.</summary>
    public long Seq { get; }

    public QueueState Queue { get; }

    public byte[] Payload { get; }

    public JobDetails? Details { get; set; }

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }

    /// <summary>When it is due (0 = null): the scheduled time or the retry backoff.</summary>
    public long ScheduledAt { get; set; }

    public int TimeoutSeconds { get; set; }

    /// <summary>Slot in the ready heap or the timer heap (see <see cref="Place"/>), or -1.</summary>
    public int HeapIndex { get; set; } = -1;

    public short Priority { get; set; }

    public short RetryCount { get; set; }

    public short MaxRetries { get; set; }

    public JobStatus Status { get; set; }

    public JobPlace Place { get; set; }

    public JobDetails EnsureDetails() => Details ??= new JobDetails();
}
