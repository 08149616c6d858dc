namespace Spooled.Broker;

/// <summary>
/// The outcome of one acknowledgement in a batch: <see cref="Error"/> is null on success. For a
/// failure that was accepted, <see cref="WillRetry"/> and <see cref="RetryCount"/> say what happens next.
/// </summary>
public readonly record struct AckResult(int Index, Guid JobId, BrokerErrorCode? Error, string? Message, bool WillRetry, int RetryCount, DateTimeOffset? NextAttemptAt = null);
