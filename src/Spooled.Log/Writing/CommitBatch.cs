using System.Buffers.Binary;
using Spooled.Log.Format;

namespace Spooled.Log.Writing;

/// <summary>
/// Appends staged for one group commit: their records back to back in one buffer (headers with the
/// length, type and flags filled in; the writer fills the position-dependent CRC), and their waiters
/// in the same order. After the write the batch completes its waiters on the thread pool (in two
/// slices when it is large) and goes back to its owner for reuse.
/// </summary>
internal sealed class CommitBatch
{
    private const int InitialBufferSize = 256 * 1024;
    private const int KeepBufferSize = 32 * 1024 * 1024;
    private const int SplitAtWaiters = 64;
    private readonly Action<CommitBatch> _recycle;
    private readonly BatchCompletion _first;
    private readonly BatchCompletion _second;
    private AppendWaiter[] _waiters = new AppendWaiter[256];
    private int _slicesRunning;

    public CommitBatch(Action<CommitBatch> recycle)
    {
        _recycle = recycle;
        _first = new BatchCompletion(this);
        _second = new BatchCompletion(this);
        Buffer = GC.AllocateUninitializedArray<byte>(InitialBufferSize);
    }

    /// <summary>Staged records; always has <see cref="CommitMarker.RecordSize"/> spare bytes after <see cref="Length"/>.</summary>
    public byte[] Buffer { get; private set; }

    /// <summary>Bytes staged.</summary>
    public int Length { get; private set; }

    /// <summary>Waiters staged, in record order.</summary>
    public int WaiterCount { get; private set; }

    /// <summary>When set, every waiter fails with it instead of getting its position.</summary>
    public Exception? Error { get; set; }

    public ReadOnlySpan<AppendWaiter> Waiters => _waiters.AsSpan(0, WaiterCount);

    /// <summary>Reserves room for a record with a body of <paramref name="bodyLength"/> bytes, writes its header and returns the span for the body.</summary>
    public Span<byte> StageRecord(int bodyLength, RecordFlags flags, out int offset)
    {
        offset = Length;
        var needed = (long)Length + RecordHeader.Size + bodyLength + CommitMarker.RecordSize;
        if (needed > Buffer.Length)
        {
            Grow(needed);
        }

        var record = Buffer.AsSpan(offset, RecordHeader.Size + bodyLength);
        new RecordHeader(bodyLength, 0, RecordType.Data, flags, (byte)FormatVersion.V1, 0).WriteTo(record);
        Length = offset + record.Length;
        return record[RecordHeader.Size..];
    }

    public void AddWaiter(AppendWaiter waiter)
    {
        if (WaiterCount == _waiters.Length)
        {
            Array.Resize(ref _waiters, _waiters.Length * 2);
        }

        _waiters[WaiterCount++] = waiter;
    }

    /// <summary>Length of the record body staged at <paramref name="offset"/>.</summary>
    public int BodyLengthAt(int offset) => BinaryPrimitives.ReadInt32LittleEndian(Buffer.AsSpan(offset));

    /// <summary>Queues the completion of every waiter to the thread pool; the batch recycles itself after.</summary>
    public void Dispatch()
    {
        var count = WaiterCount;
        if (count < SplitAtWaiters)
        {
            _slicesRunning = 1;
            _first.Start = 0;
            _first.End = count;
            ThreadPool.UnsafeQueueUserWorkItem(_first, preferLocal: false);
            return;
        }

        _slicesRunning = 2;
        _first.Start = 0;
        _first.End = count / 2;
        _second.Start = count / 2;
        _second.End = count;
        ThreadPool.UnsafeQueueUserWorkItem(_first, preferLocal: false);
        ThreadPool.UnsafeQueueUserWorkItem(_second, preferLocal: false);
    }

    /// <summary>Completes waiters [start, end); the last slice to finish recycles the batch.</summary>
    public void CompleteSlice(int start, int end)
    {
        var error = Error;
        var waiters = _waiters;
        for (var i = start; i < end; i++)
        {
            var waiter = waiters[i];
            waiters[i] = null!;
            waiter.Complete(error);
        }

        if (Interlocked.Decrement(ref _slicesRunning) == 0)
        {
            Reset();
            _recycle(this);
        }
    }

    private void Reset()
    {
        Length = 0;
        WaiterCount = 0;
        Error = null;
        if (Buffer.Length > KeepBufferSize)
        {
            Buffer = GC.AllocateUninitializedArray<byte>(InitialBufferSize);
        }
    }

    private void Grow(long needed)
    {
        if (needed > Array.MaxLength)
        {
            throw new InvalidOperationException("Too much data is waiting for one commit.");
        }

        var size = (long)Buffer.Length;
        while (size < needed)
        {
            size *= 2;
        }

        var bigger = GC.AllocateUninitializedArray<byte>((int)Math.Min(size, Array.MaxLength));
        Buffer.AsSpan(0, Length).CopyTo(bigger);
        Buffer = bigger;
    }
}
