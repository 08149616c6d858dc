namespace Spooled.Broker;

/// <summary>What a failure did: retry later (and when), or dead-letter.</summary>
public sealed record FailOutcome(bool WillRetry, int RetryCount, DateTimeOffset? NextAttemptAt);
