namespace Spooled.Broker;

/// <summary>The answer to pause and resume.</summary>
public sealed record QueuePauseState(string QueueName, bool Paused, DateTimeOffset? PausedAt, string? Reason, long PausedDurationSeconds);
