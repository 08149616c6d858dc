namespace Spooled.Http.Contracts.Queues;

/// <summary>The answer to pause.</summary>
public sealed record QueuePausedResponse(string QueueName, bool Paused, DateTime PausedAt, string? Reason);
