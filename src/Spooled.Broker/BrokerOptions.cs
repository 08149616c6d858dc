using Spooled.Broker.Events;
using Spooled.Log;
using Spooled.Log.Storage;

namespace Spooled.Broker;

/// <summary>How a <see cref="JobBroker"/> stores its log and runs.</summary>
public sealed class BrokerOptions
{
    /// <summary>The log's options (storage, durability policy, segment size). Required.</summary>
    public required LogOptions Log { get; init; }

    /// <summary>Clock for every decision the broker records. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Take a snapshot once this many log bytes were written since the last one. Default 256 MiB.</summary>
    public long SnapshotEveryBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Take a snapshot at least this often while anything changes. Default 15 minutes.</summary>
    public TimeSpan SnapshotInterval { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How long completed and cancelled jobs stay readable. Default 24 hours.</summary>
    public TimeSpan RetentionWindow { get; init; } = TimeSpan.FromHours(24);

    /// <summary>At most this many completed and cancelled jobs per organization (oldest out first). Default 1,000,000.</summary>
    public int RetentionMaxJobsPerOrganization { get; init; } = 1_000_000;

    /// <summary>Retry budget of jobs whose queue sets none. Default 3.</summary>
    public int DefaultMaxRetries { get; init; } = 3;

    /// <summary>Per-attempt timeout of jobs whose queue sets none. Default 300 s.</summary>
    public int DefaultTimeoutSeconds { get; init; } = 300;

    /// <summary>Heartbeat interval suggested to workers. Default 10 s.</summary>
    public int WorkerHeartbeatIntervalSeconds { get; init; } = 10;

    /// <summary>A worker silent this long is shown degraded. Default 30 s.</summary>
    public TimeSpan WorkerDegradedAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A worker silent this long is shown offline. Default 2 minutes.</summary>
    public TimeSpan WorkerOfflineAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Latest events kept by <see cref="JobBroker.Events"/>, for resuming streams and for streams
    /// that read behind. Default <see cref="EventBus.DefaultRecentCapacity"/>.
    /// </summary>
    public int EventsKept { get; init; } = EventBus.DefaultRecentCapacity;

    /// <summary>Mint <c>sk_live_</c> keys rather than <c>sk_test_</c>.</summary>
    public bool LiveKeys { get; init; }

    /// <summary>Options for a broker whose log lives in <paramref name="directory"/>.</summary>
    public static BrokerOptions ForDirectory(string directory, DurabilityPolicy? durability = null) => new()
    {
        Log = new LogOptions
        {
            Storage = new FileLogStorage(directory),
            Durability = durability ?? DurabilityPolicy.Fsync,
            MaxRecordSize = MaxRecordBytes,
            CompressionThreshold = CompressionThresholdBytes,
        },
    };

    /// <summary>
    /// Records at least this large are compressed. The log compresses on the appending thread, which
    /// for the broker is the engine: compressing typical records (a bulk of small payloads) costs
    /// the engine more time than the disk bandwidth it saves, so only large ones are.
    /// </summary>
    public const int CompressionThresholdBytes = 256 * 1024;

    /// <summary>The largest record the broker writes (a bulk enqueue of large payloads); the log must accept it.</summary>
    public const int MaxRecordBytes = 16 * 1024 * 1024;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Log);
        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(Log.MaxRecordSize, MaxRecordBytes, "Log.MaxRecordSize");
        ArgumentOutOfRangeException.ThrowIfLessThan(SnapshotEveryBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(SnapshotInterval, TimeSpan.FromSeconds(1));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetentionWindow, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(RetentionMaxJobsPerOrganization, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(EventsKept, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(DefaultMaxRetries);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(DefaultMaxRetries, 100);
        ArgumentOutOfRangeException.ThrowIfLessThan(DefaultTimeoutSeconds, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(DefaultTimeoutSeconds, 86_400);
    }
}
