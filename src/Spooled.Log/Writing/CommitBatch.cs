using System.Buffers.Binary;
using Spooled.Log.Format;

namespace Spooled.Log.Writing;

/// <summary>
/// Appends staged for one group commit: their records back to back in one buffer (headers with the
/// length, type and flags filled in; the writer fills the position-dependent CRC), and their waiters
/// in the same order. After the write the batch completes its waiters as a thread-pool work item and
/// goes back to its owner for reuse.
/// </summary>
internal sealed class CommitBatch : IThreadPoolWorkItem
{
    private const int InitialBufferSize = 256 * 1024;
    private const int KeepBufferSize = 16 * 1024 * 1024;
    private readonly Action<CommitBatch> _recycle;
    private AppendWaiter[] _waiters = new AppendWaiter[256];

    public CommitBatch(Action<CommitBatch> recycle)
    {
        _recycle = recycle;
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

    /// <summary>Completes every waiter (on a thread-pool thread), then recycles the batch.</summary>
    public void Execute()
    {
        var error = Error;
        var waiters = _waiters;
        for (var i = 0; i < WaiterCount; i++)
        {
            var waiter = waiters[i];
            waiters[i] = null!;
            waiter.Complete(error);
        }

        Reset();
        _recycle(this);
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
