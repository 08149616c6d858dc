namespace Spooled.Broker;

/// <summary>A worker's status; the numbers are part of the record format.</summary>
public enum WorkerStatus : byte
{
    /// <summary>Heartbeating on time.</summary>
    Healthy = 0,

    /// <summary>Reported degraded, or heartbeats late.</summary>
    Degraded = 1,

    /// <summary>Deregistered, or silent too long.</summary>
    Offline = 2,

    /// <summary>Finishing its jobs before stopping.</summary>
    Draining = 3,
}
