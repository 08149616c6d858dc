namespace Spooled.Broker;

/// <summary>Sort keys for job lists; ties are broken by enqueue order, so pages are stable.</summary>
public enum JobOrder
{
    /// <summary>Enqueue order.</summary>
    CreatedAt,

    /// <summary>Priority.</summary>
    Priority,

    /// <summary>Last change.</summary>
    UpdatedAt,

    /// <summary>Scheduled time (jobs without one sort first ascending).</summary>
    ScheduledAt,
}
