namespace Spooled.Broker.Records;

/// <summary>
/// The broker's record types. Every record starts with the type, a format version and the time
/// (UTC ticks) at which the engine decided it; applying a record reads no clock. Numbers are
/// stable forever: a new kind of change gets a new number, a changed layout a new version.
/// </summary>
internal enum RecordType : byte
{
    OrganizationCreated = 1,
    OrganizationUpdated = 2,
    OrganizationDeleted = 3,
    ApiKeyCreated = 4,
    ApiKeyUpdated = 5,

    JobsEnqueued = 10,
    JobsClaimed = 11,
    JobsCompleted = 12,
    JobsFailed = 13,
    LeaseExtended = 14,
    LeasesExpired = 15,
    JobsExpired = 16,
    JobCancelled = 17,
    JobsRetried = 18,
    PriorityChanged = 19,
    JobsPurged = 20,
    RetentionSwept = 21,
    JobProgress = 22,

    QueueConfigured = 30,
    QueuePaused = 31,
    QueueResumed = 32,
    QueueDeleted = 33,

    WorkerRegistered = 40,
    WorkerHeartbeat = 41,
    WorkerDeregistered = 42,
}
