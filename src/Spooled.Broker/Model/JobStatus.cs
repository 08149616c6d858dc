namespace Spooled.Broker;

/// <summary>A job's status. The numbers are part of the record and snapshot formats.</summary>
public enum JobStatus : byte
{
    /// <summary>Waiting to be claimed (possibly not yet due after a failed attempt).</summary>
    Pending = 0,

    /// <summary>Created with a future <c>scheduled_at</c>; becomes pending when due.</summary>
    Scheduled = 1,

    /// <summary>Held by a worker's lease.</summary>
    Processing = 2,

    /// <summary>Completed by its worker.</summary>
    Completed = 3,

    /// <summary>Accepted in filters for compatibility; the broker itself never produces it.</summary>
    Failed = 4,

    /// <summary>Out of retries; kept until retried or purged.</summary>
    DeadLetter = 5,

    /// <summary>Cancelled, or expired before it was claimed.</summary>
    Cancelled = 6,
}
