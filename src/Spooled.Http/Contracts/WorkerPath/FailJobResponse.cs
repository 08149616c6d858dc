namespace Spooled.Http.Contracts.WorkerPath;

/// <summary>
/// The failure was recorded; <c>will_retry</c> and <c>next_retry_delay_secs</c> tell the worker what
/// happens next (the Go SDK reads them instead of guessing from the claim's counters).
/// </summary>
public sealed record FailJobResponse(bool Success, bool WillRetry, long? NextRetryDelaySecs);
