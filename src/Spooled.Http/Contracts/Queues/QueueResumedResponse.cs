namespace Spooled.Http.Contracts.Queues;

/// <summary>The answer to resume: how long the queue was paused (0 when it was not).</summary>
public sealed record QueueResumedResponse(string QueueName, bool Resumed, long PausedDurationSecs);
