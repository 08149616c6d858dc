using System.Text;
using Spooled.Broker.Snapshots;
using Spooled.Broker.State;
using Spooled.Log;
using Spooled.Log.Storage;

namespace Spooled.Broker.Tests.Support;

/// <summary>Small shared steps for the lifecycle tests: requests, refusals, state and log inspection.</summary>
internal static class LifecycleHelpers
{
    public static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    public static JobSpec Job(string queue = "q", int? priority = null, string payload = "{}", string? key = null) =>
        new() { QueueName = queue, Payload = Json(payload), Priority = priority, IdempotencyKey = key };

    public static async Task<Guid> AddJobAsync(this JobBroker broker, string org, string queue = "q", int? priority = null, int? maxRetries = null)
    {
        var result = await broker.EnqueueAsync(org, new JobSpec { QueueName = queue, Payload = Json("{}"), Priority = priority, MaxRetries = maxRetries });
        return result.Id;
    }

    public static async Task<ClaimedJob> ClaimOneAsync(this JobBroker broker, string org, string queue = "q", string worker = "w1", int leaseSeconds = 30)
    {
        var claimed = await broker.ClaimAsync(org, new ClaimRequest { QueueName = queue, WorkerId = worker, Limit = 1, LeaseSeconds = leaseSeconds });
        return Assert.Single(claimed);
    }

    public static async Task<IReadOnlyList<ClaimedJob>> ClaimManyAsync(this JobBroker broker, string org, string queue, int limit, string worker = "w1", int leaseSeconds = 30) =>
        await broker.ClaimAsync(org, new ClaimRequest { QueueName = queue, WorkerId = worker, Limit = limit, LeaseSeconds = leaseSeconds });

    public static async Task<JobView> JobAsync(this JobBroker broker, string org, Guid id) =>
        await broker.GetJobAsync(org, id) ?? throw new Xunit.Sdk.XunitException($"job {id} is missing");

    public static async Task<BrokerException> RefusedAsync(BrokerErrorCode code, Func<Task> action)
    {
        var error = await Assert.ThrowsAsync<BrokerException>(action);
        Assert.Equal(code, error.Code);
        return error;
    }

    /// <summary>Asserts a validation refusal whose details name <paramref name="field"/>.</summary>
    public static async Task<BrokerException> InvalidAsync(string field, Func<Task> action)
    {
        var error = await RefusedAsync(BrokerErrorCode.Validation, action);
        Assert.NotNull(error.Details);
        Assert.Contains(error.Details, d => d.Field == field);
        return error;
    }

    /// <summary>Reads the engine's state on the engine thread, so nothing changes under the reader.</summary>
    public static Task<T> ReadStateAsync<T>(this JobBroker broker, Func<BrokerState, T> read) => broker.Submit(e => read(e.State));

    /// <summary>The state as a snapshot would store it.</summary>
    public static Task<byte[]> StateBytesAsync(this JobBroker broker) => broker.ReadStateAsync(state => StateSnapshot.Write(state).ToArray());

    /// <summary>Options equal to <paramref name="options"/> with the retention and log settings given.</summary>
    public static BrokerOptions With(this BrokerOptions options, TimeSpan? retentionWindow = null, int? retentionCap = null, long? segmentSize = null, ILogStorage? storage = null) => new()
    {
        Log = new LogOptions
        {
            Storage = storage ?? options.Log.Storage,
            Durability = options.Log.Durability,
            MaxRecordSize = options.Log.MaxRecordSize,
            SegmentSize = segmentSize ?? options.Log.SegmentSize,
            CompressionThreshold = options.Log.CompressionThreshold,
            Recovery = options.Log.Recovery,
            PreallocateSegments = options.Log.PreallocateSegments,
            TimeProvider = options.Log.TimeProvider,
        },
        TimeProvider = options.TimeProvider,
        SnapshotEveryBytes = options.SnapshotEveryBytes,
        SnapshotInterval = options.SnapshotInterval,
        RetentionWindow = retentionWindow ?? options.RetentionWindow,
        RetentionMaxJobsPerOrganization = retentionCap ?? options.RetentionMaxJobsPerOrganization,
        DefaultMaxRetries = options.DefaultMaxRetries,
        DefaultTimeoutSeconds = options.DefaultTimeoutSeconds,
        WorkerHeartbeatIntervalSeconds = options.WorkerHeartbeatIntervalSeconds,
        WorkerDegradedAfter = options.WorkerDegradedAfter,
        WorkerOfflineAfter = options.WorkerOfflineAfter,
        LiveKeys = options.LiveKeys,
    };

    /// <summary>Every record payload in the fixture's log; the broker must be closed first.</summary>
    public static List<byte[]> ReadLog(BrokerFixture fx)
    {
        var records = new List<byte[]>();
        using var log = SegmentedLog.Open(fx.Options.Log);
        using var reader = log.ReadFrom(log.StartPosition);
        while (reader.TryRead(out var record))
        {
            records.Add(record.Payload.ToArray());
        }

        return records;
    }

    /// <summary>Segment files in the storage, by base position.</summary>
    public static List<long> SegmentBases(ILogStorage storage) => PositionFiles(storage, ".seg");

    /// <summary>Snapshot files in the storage, by position.</summary>
    public static List<long> SnapshotPositions(ILogStorage storage) => PositionFiles(storage, ".snap");

    public static string SnapshotName(long position) => position.ToString("D20", System.Globalization.CultureInfo.InvariantCulture) + ".snap";

    private static List<long> PositionFiles(ILogStorage storage, string extension)
    {
        var positions = new List<long>();
        foreach (var name in storage.ListFiles())
        {
            if (name.Length == 20 + extension.Length && name.EndsWith(extension, StringComparison.Ordinal))
            {
                positions.Add(long.Parse(name.AsSpan(0, 20), System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        positions.Sort();
        return positions;
    }
}
