using System.Diagnostics;
using Spooled.Log.Storage;

namespace Spooled.Benchmarks.Log;

/// <summary>
/// A pass-through <see cref="ILogStorage"/> that counts what the log asks of the disk: write calls,
/// bytes written, syncs, and the time spent inside writes and syncs. It shows how many appends share
/// one fdatasync and how busy the writer thread is with the disk.
/// </summary>
internal sealed class CountingStorage : ILogStorage
{
    private readonly ILogStorage _inner;
    private long _writes;
    private long _bytesWritten;
    private long _writeTicks;
    private long _syncs;
    private long _syncTicks;

    public CountingStorage(ILogStorage inner) => _inner = inner;

    /// <summary>A snapshot of the counters.</summary>
    public IoCounts Counts => new(
        Interlocked.Read(ref _writes),
        Interlocked.Read(ref _bytesWritten),
        Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _writeTicks)),
        Interlocked.Read(ref _syncs),
        Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _syncTicks)));

    public IReadOnlyList<string> ListFiles() => _inner.ListFiles();

    public bool Exists(string name) => _inner.Exists(name);

    public ILogFile Open(string name, LogFileMode mode) => new CountingFile(this, _inner.Open(name, mode));

    public void Delete(string name) => _inner.Delete(name);

    public void Rename(string from, string to) => _inner.Rename(from, to);

    public void SyncDirectory() => _inner.SyncDirectory();

    internal void OnWrite(int bytes, long ticks)
    {
        Interlocked.Increment(ref _writes);
        Interlocked.Add(ref _bytesWritten, bytes);
        Interlocked.Add(ref _writeTicks, ticks);
    }

    internal void OnSync(long ticks)
    {
        Interlocked.Increment(ref _syncs);
        Interlocked.Add(ref _syncTicks, ticks);
    }
}
