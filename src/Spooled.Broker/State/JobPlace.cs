namespace Spooled.Broker.State;

/// <summary>Which indexed heap holds a job.</summary>
internal enum JobPlace : byte
{
    /// <summary>In no heap (terminal, or removed).</summary>
    None,

    /// <summary>In its queue's ready heap: claimable now.</summary>
    Ready,

    /// <summary>In the timer heap: waiting to become due, or holding a lease.</summary>
    Timer,
}
