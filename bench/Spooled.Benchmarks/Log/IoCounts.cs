namespace Spooled.Benchmarks.Log;

/// <summary>What a <see cref="CountingStorage"/> counted up to one moment.</summary>
internal readonly record struct IoCounts(long Writes, long BytesWritten, TimeSpan WriteTime, long Syncs, TimeSpan SyncTime)
{
    public static IoCounts operator -(IoCounts later, IoCounts earlier) => new(
        later.Writes - earlier.Writes,
        later.BytesWritten - earlier.BytesWritten,
        later.WriteTime - earlier.WriteTime,
        later.Syncs - earlier.Syncs,
        later.SyncTime - earlier.SyncTime);
}
