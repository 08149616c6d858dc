namespace Spooled.Broker.Events;

/// <summary>
/// One change of broker state, published once it is durable. Immutable once published, and shared
/// by every subscriber: a front end that encodes it for the wire does so once
/// (<see cref="Encoded{T}"/>), not once per subscriber.
/// </summary>
public sealed class BrokerEvent
{
    private object? _encoded;

    /// <summary>What the event reports; says which of the other properties are set.</summary>
    public required BrokerEventKind Kind { get; init; }

    /// <summary>The organization whose state changed: only its subscribers see the event.</summary>
    public required string OrgId { get; init; }

    /// <summary>The queue the event concerns (the worker's queue for worker events), or null.</summary>
    public string? QueueName { get; init; }

    /// <summary>The job the event concerns (job events), or null.</summary>
    public Guid? JobId { get; init; }

    /// <summary>The worker the event concerns (worker events), or null.</summary>
    public string? WorkerId { get; init; }

    /// <summary>When the change happened (the time of its record).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>
    /// Position in the order of publication, from 1, unique for the broker's lifetime (not across
    /// restarts): the SSE event id, for resuming after a reconnect.
    /// </summary>
    public long Sequence { get; internal set; }

    /// <summary>Status before a <see cref="BrokerEventKind.JobStatusChange"/> (null for a new job).</summary>
    public JobStatus? OldStatus { get; init; }

    /// <summary>Status after a <see cref="BrokerEventKind.JobStatusChange"/>.</summary>
    public JobStatus? NewStatus { get; init; }

    /// <summary>The new job's priority (<see cref="BrokerEventKind.JobCreated"/>).</summary>
    public int Priority { get; init; }

    /// <summary>Time the completed attempt took (<see cref="BrokerEventKind.JobCompleted"/>).</summary>
    public long DurationMs { get; init; }

    /// <summary>The failure's message (<see cref="BrokerEventKind.JobFailed"/>).</summary>
    public string? Error { get; init; }

    /// <summary>Attempts failed so far, this one included (<see cref="BrokerEventKind.JobFailed"/>).</summary>
    public int RetryCount { get; init; }

    /// <summary>Whether the failed job will be tried again (else it went to the dead-letter queue).</summary>
    public bool WillRetry { get; init; }

    /// <summary>The worker's reported status (heartbeat) or the pause's reason (queue paused).</summary>
    public string? Detail { get; init; }

    /// <summary>Jobs the worker says it is running (heartbeat).</summary>
    public int CurrentJobs { get; init; }

    /// <summary>The wire form made by <see cref="Encoded{T}"/>, or null before anyone asked for one.</summary>
    public object? Encoding => Volatile.Read(ref _encoded);

    /// <summary>
    /// The event's wire form, made by <paramref name="encode"/> the first time any subscriber asks
    /// and shared by the rest. Two first callers may both encode; one result wins, and both are equal.
    /// </summary>
    public T Encoded<T>(Func<BrokerEvent, T> encode)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(encode);
        if (Volatile.Read(ref _encoded) is T done)
        {
            return done;
        }

        var made = encode(this);
        return Interlocked.CompareExchange(ref _encoded, made, null) as T ?? made;
    }
}
