using Spooled.Log.Format;
using Spooled.Log.Snapshots;
using Spooled.Log.Storage;
using Spooled.Log.Writing;

namespace Spooled.Log;

/// <summary>
/// A segmented write-ahead log: CRC-checked records appended by many callers, group-committed by one
/// writer thread with one fdatasync per batch, spread over fixed-size segment files, with snapshots
/// and crash recovery. It knows bytes and positions, nothing of what the bytes mean.
/// </summary>
/// <remarks>
/// A record's position is its byte offset in the concatenation of all segments ever written
/// (segment files are named by the position of their first byte), so positions only grow and are
/// stable across restarts. <see cref="AppendAsync(ReadOnlyMemory{byte})"/> completes with the
/// position once the record is durable under <see cref="LogOptions.Durability"/>.
/// </remarks>
public sealed partial class SegmentedLog : IAsyncDisposable, IDisposable
{
    private readonly LogOptions _options;
    private readonly ILogStorage _storage;

    // Appender side: everything below is guarded by _lock.
    private readonly Lock _lock = new();
    private readonly WaiterPool _waiters = new();
    private CommitBatch _open;
    private Exception? _failure;
    private bool _closing;
    private bool _writerIdle;

    // Spare batches: at most MaxBatches exist, so a writer that outruns the completions waits for one
    // to come back instead of allocating (the stack is guarded by _spareLock; _spareAvailable counts it).
    private const int MaxBatches = 4;
    private readonly Lock _spareLock = new();
    private readonly Stack<CommitBatch> _spare = new();
    private readonly SemaphoreSlim _spareAvailable = new(0);
    private readonly Action<CommitBatch> _recycle;
    private int _batchesCreated; // Writer thread only.

    // Segment list, for readers and deletion; guarded by _segmentsLock. Ordered by base position.
    private readonly Lock _segmentsLock = new();
    private readonly List<long> _segmentBases = [];

    private readonly SemaphoreSlim _wake = new(0);
    private readonly Thread _writerThread;
    private readonly TaskCompletionSource _writerExited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Position after the last acknowledged record; read with Volatile.</summary>
    private long _acknowledgedEnd;

    private SegmentedLog(LogOptions options)
    {
        _options = options;
        _storage = options.Storage;
        _recycle = ReturnBatch;
        _open = new CommitBatch(_recycle);
        _batchesCreated = 1;
        Snapshots = new SnapshotStore(_storage);
        _writerThread = new Thread(WriterLoop) { IsBackground = true, Name = "spooled-log-writer" };
    }

    /// <summary>What opening the log found and did.</summary>
    public RecoveryReport Recovery { get; private set; } = new();

    /// <summary>Durable snapshots stored beside the log's segments.</summary>
    public SnapshotStore Snapshots { get; }

    /// <summary>The options the log was opened with.</summary>
    public LogOptions Options => _options;

    /// <summary>Position after the last acknowledged record: where a reader started now stops.</summary>
    public long EndPosition => Volatile.Read(ref _acknowledgedEnd);

    /// <summary>Position of the first byte still in the log (earlier segments were deleted).</summary>
    public long StartPosition
    {
        get
        {
            lock (_segmentsLock)
            {
                return _segmentBases[0];
            }
        }
    }

    /// <summary>The failure that stopped the log, or <see langword="null"/> while it is healthy.</summary>
    public Exception? Failure
    {
        get
        {
            lock (_lock)
            {
                return _failure;
            }
        }
    }

    /// <summary>
    /// Opens (recovering) or creates the log described by <paramref name="options"/>. Throws
    /// <see cref="LogCorruptionException"/> when it finds damage that is not a torn final batch
    /// (unless <see cref="LogOptions.Recovery"/> is <see cref="RecoveryMode.Repair"/>).
    /// </summary>
    public static SegmentedLog Open(LogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var log = new SegmentedLog(options);
        try
        {
            log.Recover();
        }
        catch
        {
            log.CloseSegmentAfterFailedOpen();
            throw;
        }

        if (options.PreallocateSegments)
        {
            log._preallocator = new SegmentPreallocator(log._storage, options.SegmentSize, options.Durability.Mode != DurabilityMode.None);
            log._preallocator.Prepare();
        }

        log._writerThread.Start();
        return log;
    }

    /// <summary>
    /// Deletes every segment that lies wholly before <paramref name="position"/> (typically the
    /// position of a durable snapshot), never the segment being written. Returns how many were deleted.
    /// </summary>
    public int DeleteSegmentsBefore(long position)
    {
        var deleted = 0;
        lock (_segmentsLock)
        {
            // Segment i spans [base i, base i+1); the last one is being written and always stays.
            while (_segmentBases.Count > 1 && _segmentBases[1] <= position)
            {
                _storage.Delete(SegmentName.For(_segmentBases[0]));
                _segmentBases.RemoveAt(0);
                deleted++;
            }

            if (deleted > 0)
            {
                _storage.SyncDirectory();
            }
        }

        return deleted;
    }

    /// <summary>
    /// A reader over the data records from <paramref name="position"/> (a position an append
    /// returned, or <see cref="StartPosition"/>) up to the <see cref="EndPosition"/> of this moment.
    /// </summary>
    public LogReader ReadFrom(long position)
    {
        // The end first: segments are only ever added after it, and the reader stops at it.
        var end = EndPosition;
        long[] bases;
        lock (_segmentsLock)
        {
            bases = [.. _segmentBases];
        }

        return new LogReader(_storage, bases, end, position);
    }

    /// <summary>Base positions of the segments now in the log, oldest first.</summary>
    public IReadOnlyList<long> SegmentBasePositions()
    {
        lock (_segmentsLock)
        {
            return [.. _segmentBases];
        }
    }

    /// <summary>Writes out everything appended, syncs, and closes the files.</summary>
    public async ValueTask DisposeAsync()
    {
        bool wake;
        lock (_lock)
        {
            _closing = true;
            wake = _writerIdle;
            _writerIdle = false;
        }

        if (wake)
        {
            _wake.Release();
        }

        await _writerExited.Task.ConfigureAwait(false);
    }

    /// <summary>Synchronous <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private void ReturnBatch(CommitBatch batch)
    {
        lock (_spareLock)
        {
            _spare.Push(batch);
        }

        _spareAvailable.Release();
    }

    /// <summary>Writer thread: a batch to become the next open one, waiting for a completion to return one when all exist.</summary>
    private CommitBatch TakeSpareBatch()
    {
        if (_batchesCreated < MaxBatches && !_spareAvailable.Wait(0))
        {
            _batchesCreated++;
            return new CommitBatch(_recycle);
        }

        if (_batchesCreated >= MaxBatches)
        {
            _spareAvailable.Wait();
        }

        lock (_spareLock)
        {
            return _spare.Pop();
        }
    }
}
