using Spooled.Log.Storage;

namespace Spooled.Log.Writing;

/// <summary>
/// Prepares the next segment file in the background: zero-filled to the full segment size and
/// synced, under a name recovery ignores. Overwriting blocks that are already allocated and whose
/// size is already durable lets each fdatasync flush data alone; appending to a growing file makes
/// every fdatasync also commit the new file size through the file system's journal, which on the
/// disks measured costs about three times as much. The writer renames the prepared file into place
/// at a roll, and falls back to a growing file when none is ready (or the disk has no room for one).
/// </summary>
internal sealed class SegmentPreallocator : IDisposable
{
    /// <summary>The prepared file's name; never a segment name, and removed when a log opens.</summary>
    public const string FileName = "next-segment.prealloc";

    /// <summary>Zeros to write from; shared because it is never written to.</summary>
    private static readonly byte[] s_zeros = new byte[1024 * 1024];

    private readonly ILogStorage _storage;
    private readonly long _size;
    private readonly bool _sync;
    private readonly Lock _lock = new();
    private Task? _filling;
    private ILogFile? _ready;
    private bool _disposed;

    public SegmentPreallocator(ILogStorage storage, long size, bool sync)
    {
        _storage = storage;
        _size = size;
        _sync = sync;
    }

    /// <summary>Starts preparing a file unless one is ready or being prepared.</summary>
    public void Prepare()
    {
        lock (_lock)
        {
            if (_disposed || _ready is not null || _filling is { IsCompleted: false })
            {
                return;
            }

            _filling = Task.Run(Fill);
        }
    }

    /// <summary>The prepared file (the caller renames it from <see cref="FileName"/>), or <see langword="null"/>.</summary>
    public ILogFile? TryTake()
    {
        lock (_lock)
        {
            var file = _ready;
            _ready = null;
            return file;
        }
    }

    public void Dispose()
    {
        Task? filling;
        lock (_lock)
        {
            _disposed = true;
            _ready?.Dispose();
            _ready = null;
            filling = _filling;
        }

        filling?.Wait();
    }

    private void Fill()
    {
        ILogFile? file = null;
        try
        {
            _storage.Delete(FileName);
            file = _storage.Open(FileName, LogFileMode.CreateNew);
            for (var at = 0L; at < _size; at += s_zeros.Length)
            {
                file.Write(at, s_zeros.AsSpan(0, (int)Math.Min(s_zeros.Length, _size - at)));
            }

            if (_sync)
            {
                file.Flush();
            }

            lock (_lock)
            {
                if (!_disposed)
                {
                    _ready = file;
                    file = null;
                }
            }
        }
#pragma warning disable CA1031 // Preparing is optional: whatever fails it, the writer grows the next segment instead, and the task must not fault (Dispose waits on it from the writer thread).
        catch (Exception)
#pragma warning restore CA1031
        {
            // The partial file must not hold space the log needs.
            TryDelete();
        }
        finally
        {
            file?.Dispose();
        }
    }

    private void TryDelete()
    {
        try
        {
            _storage.Delete(FileName);
        }
#pragma warning disable CA1031 // As in Fill: best effort, and the task must not fault.
        catch (Exception)
#pragma warning restore CA1031
        {
            // Removed when the log next opens.
        }
    }
}
