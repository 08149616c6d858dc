namespace Spooled.Broker.Events;

/// <summary>
/// What a broker event reports. The names are the wire's <c>type</c> values (the reference's
/// PascalCase variants), so the HTTP layer can print them as they are.
/// </summary>
public enum BrokerEventKind
{
    /// <summary>A job's status changed (every transition, including the first: "" to pending or scheduled).</summary>
    JobStatusChange,

    /// <summary>A job was enqueued.</summary>
    JobCreated,

    /// <summary>A job was completed.</summary>
    JobCompleted,

    /// <summary>An attempt failed (or its lease expired): retried later, or dead-lettered.</summary>
    JobFailed,

    /// <summary>A worker registered (or registered again).</summary>
    WorkerRegistered,

    /// <summary>A worker's heartbeat.</summary>
    WorkerHeartbeat,

    /// <summary>A worker deregistered; the jobs it held went back to pending.</summary>
    WorkerDeregistered,

    /// <summary>A queue was paused: claims take nothing from it.</summary>
    QueuePaused,

    /// <summary>A paused queue was resumed.</summary>
    QueueResumed,
}
