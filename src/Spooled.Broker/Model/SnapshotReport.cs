namespace Spooled.Broker;

/// <summary>
/// One snapshot: the log position it covers, its size, how long the engine paused to capture it
/// (the only part on the request path), how long writing it took in the background, and how many
/// log segments it let go.
/// </summary>
public sealed record SnapshotReport(long Position, long Bytes, int Jobs, TimeSpan Pause, TimeSpan WriteTime, int SegmentsDeleted);
