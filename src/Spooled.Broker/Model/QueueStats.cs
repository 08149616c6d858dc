namespace Spooled.Broker;

/// <summary>A queue's live figures.</summary>
public sealed record QueueStats(
    string QueueName,
    long PendingJobs,
    long ScheduledJobs,
    long ProcessingJobs,
    long CompletedJobs24h,
    long FailedJobs24h,
    double? AverageProcessingTimeMs,
    long? MaxJobAgeSeconds,
    int ActiveWorkers,
    bool Paused);
