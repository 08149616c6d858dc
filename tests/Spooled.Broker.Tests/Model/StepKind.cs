namespace Spooled.Broker.Tests.Model;

/// <summary>What one generated step does to the broker (and to the reference model).</summary>
internal enum StepKind
{
    Enqueue,
    EnqueueBulk,
    Claim,
    Complete,
    Fail,
    Heartbeat,
    Advance,
    Cancel,
    Retry,
    SetPriority,
    RetryDeadLetter,
    PurgeDeadLetter,
    Pause,
    Resume,
    RegisterWorker,
    DeregisterWorker,
    Snapshot,
    Crash,
    Restart,
    Burst,
}
