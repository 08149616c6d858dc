namespace Spooled.Broker.Tests.Model;

/// <summary>Which lease an acknowledgement or heartbeat step presents.</summary>
internal enum AckTarget
{
    /// <summary>A lease the worker still believes it holds.</summary>
    Held,

    /// <summary>A lease that ended (acknowledged, expired, released): the broker must refuse it.</summary>
    Stale,

    /// <summary>A held job, acknowledged by its worker without naming the lease.</summary>
    NoLease,

    /// <summary>A held job's lease, presented by a different worker.</summary>
    OtherWorker,
}
