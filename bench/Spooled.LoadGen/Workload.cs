namespace Spooled.LoadGen;

/// <summary>The traffic shape a run drives; each answers a different capacity question.</summary>
internal enum Workload
{
    /// <summary>Producers only: how fast the server accepts and makes jobs durable.</summary>
    Enqueue,

    /// <summary>Fill the queue, then workers only: how fast the server hands out and retires jobs.</summary>
    Drain,

    /// <summary>Producers and workers at once, closed loop: sustained end-to-end throughput.</summary>
    Pipeline,

    /// <summary>Open loop at a fixed arrival rate: latency under a load the server is expected to carry.</summary>
    Steady,
}
