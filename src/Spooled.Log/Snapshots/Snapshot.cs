namespace Spooled.Log.Snapshots;

/// <summary>A snapshot loaded back: the opaque blob and the log position from which to replay after it.</summary>
/// <param name="Position">Replay the log from here to rebuild the state after the snapshot.</param>
/// <param name="Data">The blob, checked against its CRC.</param>
public sealed record Snapshot(long Position, ReadOnlyMemory<byte> Data);
