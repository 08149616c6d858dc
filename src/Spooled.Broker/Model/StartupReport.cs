namespace Spooled.Broker;

/// <summary>What opening the broker did: the snapshot it loaded (if any), damaged snapshots it skipped, and the records replayed.</summary>
public sealed record StartupReport(long? SnapshotPosition, IReadOnlyList<string> SkippedSnapshots, long RecordsReplayed, int Jobs, TimeSpan SnapshotLoadTime, TimeSpan TotalTime);
