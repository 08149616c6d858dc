using System.Buffers;
using System.Buffers.Binary;
using K4os.Compression.LZ4;
using Spooled.Log.Format;
using Spooled.Log.Writing;

namespace Spooled.Log;

/// <content>
/// The append side. An append validates and (when worthwhile) compresses outside the lock, then
/// under the lock copies its record into the open batch and enqueues a pooled waiter; the writer
/// thread does the rest. Nothing here allocates in steady state.
/// </content>
public sealed partial class SegmentedLog
{
    /// <summary>
    /// Appends one record and completes with its position once it is durable under the log's
    /// <see cref="DurabilityPolicy"/>. An append cannot be cancelled once made: it is part of a batch.
    /// </summary>
    /// <exception cref="RecordTooLargeException">The record exceeds <see cref="LogOptions.MaxRecordSize"/>; nothing was written.</exception>
    /// <exception cref="LogFailedException">A write or sync failed; nothing more is acknowledged.</exception>
    /// <exception cref="ObjectDisposedException">The log is closing.</exception>
    public ValueTask<long> AppendAsync(ReadOnlyMemory<byte> record)
    {
        if (record.Length > _options.MaxRecordSize)
        {
            return ValueTask.FromException<long>(new RecordTooLargeException(record.Length, _options.MaxRecordSize));
        }

        byte[]? compressed = null;
        try
        {
            var body = Compress(record.Span, ref compressed, out var flags, out var bodyLength);
            AppendWaiter waiter;
            bool wake;
            lock (_lock)
            {
                if (_failure is not null || _closing)
                {
                    return RejectedLocked();
                }

                var batch = _open;
                WriteBody(batch.StageRecord(bodyLength, flags, out var offset), body, record.Length, flags);
                waiter = AddWaiterLocked(batch, offset, out wake);
            }

            return Pending(waiter, wake);
        }
        finally
        {
            if (compressed is not null)
            {
                ArrayPool<byte>.Shared.Return(compressed);
            }
        }
    }

    /// <summary>
    /// Appends several records, written back to back in one batch, and completes with the position
    /// of the first once all are durable. They are acknowledged together; after a crash before the
    /// acknowledgement an intact prefix of them may survive (each record whole or not at all).
    /// </summary>
    /// <exception cref="RecordTooLargeException">A record exceeds <see cref="LogOptions.MaxRecordSize"/>; nothing was written.</exception>
    /// <exception cref="LogFailedException">A write or sync failed; nothing more is acknowledged.</exception>
    public ValueTask<long> AppendAsync(IReadOnlyList<ReadOnlyMemory<byte>> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return ValueTask.FromException<long>(new ArgumentException("At least one record is needed.", nameof(records)));
        }

        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].Length > _options.MaxRecordSize)
            {
                return ValueTask.FromException<long>(new RecordTooLargeException(records[i].Length, _options.MaxRecordSize));
            }
        }

        AppendWaiter waiter;
        bool wake;
        lock (_lock)
        {
            if (_failure is not null || _closing)
            {
                return RejectedLocked();
            }

            // Compression of a multi-record append happens under the lock: this overload is for
            // small groups (a broker's transaction), where the copy dominates anyway.
            var batch = _open;
            var first = -1;
            for (var i = 0; i < records.Count; i++)
            {
                byte[]? compressed = null;
                try
                {
                    var source = records[i].Span;
                    var body = Compress(source, ref compressed, out var flags, out var bodyLength);
                    WriteBody(batch.StageRecord(bodyLength, flags, out var offset), body, source.Length, flags);
                    if (first < 0)
                    {
                        first = offset;
                    }
                }
                finally
                {
                    if (compressed is not null)
                    {
                        ArrayPool<byte>.Shared.Return(compressed);
                    }
                }
            }

            waiter = AddWaiterLocked(batch, first, out wake);
        }

        return Pending(waiter, wake);
    }

    private AppendWaiter AddWaiterLocked(CommitBatch batch, int stagingOffset, out bool wakeWriter)
    {
        var waiter = _waiters.Rent();
        waiter.StagingOffset = stagingOffset;
        batch.AddWaiter(waiter);
        wakeWriter = _writerIdle;
        _writerIdle = false;
        return waiter;
    }

    /// <summary>Wakes an idle writer (outside the lock) and hands out the waiter's task.</summary>
    private ValueTask<long> Pending(AppendWaiter waiter, bool wakeWriter)
    {
        if (wakeWriter)
        {
            _wake.Release();
        }

        return new ValueTask<long>(waiter, waiter.Version);
    }

    private ValueTask<long> RejectedLocked() => _failure is not null
        ? ValueTask.FromException<long>(_failure)
        : ValueTask.FromException<long>(new ObjectDisposedException(nameof(SegmentedLog), "The log is closing."));

    /// <summary>
    /// Returns the bytes to store: an LZ4 block (in a rented buffer) when the record is over the
    /// threshold and shrinks by at least an eighth, else the record itself.
    /// </summary>
    private ReadOnlySpan<byte> Compress(ReadOnlySpan<byte> source, ref byte[]? rented, out RecordFlags flags, out int bodyLength)
    {
        flags = RecordFlags.None;
        bodyLength = source.Length;
        var threshold = _options.CompressionThreshold;
        if (threshold == 0 || source.Length < threshold)
        {
            return source;
        }

        var budget = source.Length - (source.Length / 8) - sizeof(int);
        rented = ArrayPool<byte>.Shared.Rent(LZ4Codec.MaximumOutputSize(source.Length));
        var encoded = LZ4Codec.Encode(source, rented, LZ4Level.L00_FAST);
        if (encoded <= 0 || encoded > budget)
        {
            return source;
        }

        flags = RecordFlags.Lz4;
        bodyLength = sizeof(int) + encoded;
        return rented.AsSpan(0, encoded);
    }

    private static void WriteBody(Span<byte> destination, ReadOnlySpan<byte> body, int originalLength, RecordFlags flags)
    {
        if ((flags & RecordFlags.Lz4) != 0)
        {
            BinaryPrimitives.WriteInt32LittleEndian(destination, originalLength);
            body.CopyTo(destination[sizeof(int)..]);
        }
        else
        {
            body.CopyTo(destination);
        }
    }
}
