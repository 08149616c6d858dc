namespace Spooled.Broker;

/// <summary>The id of the enqueued job, and whether it was created or an idempotent duplicate.</summary>
public readonly record struct EnqueueResult(Guid Id, bool Created);
