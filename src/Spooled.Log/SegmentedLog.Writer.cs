using System.Buffers.Binary;
using Spooled.Log.Format;
using Spooled.Log.Storage;
using Spooled.Log.Writing;

namespace Spooled.Log;

/// <content>
/// The writer thread: the only code that writes segments. Policy, stated once:
/// <list type="bullet">
/// <item>It takes every staged append at once (the open batch), assigns positions, fills in the
/// position-seeded CRCs, appends a commit marker, and writes the lot with one write call; then it
/// syncs once (Fsync policy) and only then completes the waiters.</item>
/// <item>It starts a batch only after the previous batch's sync returned. Recovery depends on this:
/// a record stamped with a DurableBatch watermark proves every batch up to that one was durable.</item>
/// <item>A batch never spans segments: when the next record does not fit, the part that fits is
/// sealed with its own marker, synced, and the segment rolled (new file written, synced, and the
/// directory synced before any record goes into it).</item>
/// <item>Any write or sync error fails the batch's waiters and every later append, and the writer
/// stops for good (after a failed fsync the kernel may have dropped the dirty pages; a retry could
/// "succeed" over lost data). Reopening recovers.</item>
/// </list>
/// Fields below are owned by the writer thread (and by recovery before the thread starts).
/// </content>
public sealed partial class SegmentedLog
{
    private readonly byte[] _markerScratch = new byte[CommitMarker.RecordSize];
    private ILogFile? _segment;
    private string _segmentName = string.Empty;
    private SegmentPreallocator? _preallocator;
    private long _segmentBase;
    private long _segmentLength;
    private uint _sequence;
    private uint _chain;
    private uint _durableSequence;
    private bool _dirty;
    private long _lastSyncTimestamp;

    private void WriterLoop()
    {
        try
        {
            CommitBatch? spare = null;
            while (true)
            {
                CommitBatch? batch = null;
                var needSpare = false;
                lock (_lock)
                {
                    if (_open.WaiterCount > 0)
                    {
                        if (spare is null)
                        {
                            needSpare = true;
                        }
                        else
                        {
                            batch = _open;
                            _open = spare;
                            spare = null;
                        }
                    }
                    else if (_closing || _failure is not null)
                    {
                        break;
                    }
                    else
                    {
                        _writerIdle = true;
                    }
                }

                if (needSpare)
                {
                    // Outside the lock: appenders keep staging into the open batch meanwhile.
                    spare = TakeSpareBatch();
                    continue;
                }

                if (batch is null)
                {
                    WaitForWork();
                    continue;
                }

                try
                {
                    WriteBatch(batch);
                }
#pragma warning disable CA1031 // The writer turns any failure into the log's failed state: an exception escaping a dedicated thread would end the process.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    Fail(ex, batch);
                    break;
                }

                batch.Dispatch();
            }

            CloseSegment();
        }
        finally
        {
            _writerExited.TrySetResult();
        }
    }

    private void WaitForWork()
    {
        if (_dirty && _options.Durability.Mode == DurabilityMode.Interval)
        {
            var due = _options.Durability.SyncInterval - _options.TimeProvider.GetElapsedTime(_lastSyncTimestamp);
            if (due <= TimeSpan.Zero || !_wake.Wait(due))
            {
                try
                {
                    Sync();
                }
#pragma warning disable CA1031 // See WriterLoop: a failed sync fails the log, whatever its exception.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    Fail(ex, null);
                }
            }

            return;
        }

        _wake.Wait();
    }

    private void WriteBatch(CommitBatch batch)
    {
        var buffer = batch.Buffer;
        var end = batch.Length;
        var waiters = batch.Waiters;
        var nextWaiter = 0;
        var offset = 0;
        while (offset < end)
        {
            var room = _options.SegmentSize - _segmentLength - CommitMarker.RecordSize;
            var chunkEnd = offset;
            var chain = _chain;
            var count = 0u;
            var chunkBase = _segmentBase + _segmentLength;
            while (chunkEnd < end)
            {
                var recordLength = RecordHeader.Size + batch.BodyLengthAt(chunkEnd);
                if (chunkEnd - offset + (long)recordLength > room)
                {
                    break;
                }

                var position = chunkBase + (chunkEnd - offset);
                var record = buffer.AsSpan(chunkEnd, recordLength);
                BinaryPrimitives.WriteUInt32LittleEndian(record[12..], _durableSequence);
                var crc = RecordHeader.ComputeCrc(position, record);
                BinaryPrimitives.WriteUInt32LittleEndian(record[4..], crc);
                chain = CommitMarker.ExtendChain(chain, crc);
                count++;
                while (nextWaiter < waiters.Length && waiters[nextWaiter].StagingOffset == chunkEnd)
                {
                    waiters[nextWaiter++].Position = position;
                }

                chunkEnd += recordLength;
            }

            if (count == 0)
            {
                // The next record does not fit in what is left of this segment (options guarantee
                // it fits in an empty one).
                RollSegment();
                continue;
            }

            var chunkLength = chunkEnd - offset;
            var marker = new CommitMarker(_sequence + 1, count, chain);
            var markerPosition = chunkBase + chunkLength;
            if (chunkEnd == end)
            {
                // The batch buffer always keeps room for one marker after its records: one write.
                marker.WriteRecord(buffer.AsSpan(end), markerPosition, _durableSequence);
                _segment!.Write(_segmentLength, buffer.AsSpan(offset, chunkLength + CommitMarker.RecordSize));
            }
            else
            {
                marker.WriteRecord(_markerScratch, markerPosition, _durableSequence);
                _segment!.Write(_segmentLength, buffer.AsSpan(offset, chunkLength));
                _segment.Write(_segmentLength + chunkLength, _markerScratch);
            }

            _segmentLength += chunkLength + CommitMarker.RecordSize;
            _sequence = marker.Sequence;
            _chain = chain;
            _dirty = true;
            offset = chunkEnd;
            if (offset < end)
            {
                RollSegment();
            }
        }

        switch (_options.Durability.Mode)
        {
            case DurabilityMode.Fsync:
                Sync();
                break;
            case DurabilityMode.Interval when _options.TimeProvider.GetElapsedTime(_lastSyncTimestamp) >= _options.Durability.SyncInterval:
                Sync();
                break;
        }

        Volatile.Write(ref _acknowledgedEnd, _segmentBase + _segmentLength);
    }

    private void Sync()
    {
        _segment!.Flush();
        _durableSequence = _sequence;
        _dirty = false;
        _lastSyncTimestamp = _options.TimeProvider.GetTimestamp();
    }

    /// <summary>Seals the current segment and starts the next at the position right after it.</summary>
    private void RollSegment()
    {
        var syncing = _options.Durability.Mode != DurabilityMode.None;
        if (syncing)
        {
            // The old segment must be wholly durable before a new one exists: recovery treats any
            // damage in a segment that is not the last as corruption of acknowledged data.
            Sync();
        }

        if (_segment!.Length > _segmentLength)
        {
            // Cut the unused preallocated tail, durably, before the next segment exists: a sealed
            // segment ends exactly where its successor begins.
            _segment.Truncate(_segmentLength);
            if (syncing)
            {
                _segment.Flush();
            }
        }

        var nextBase = _segmentBase + _segmentLength;
        var file = CreateSegment(nextBase, _sequence, _chain, syncing, _preallocator?.TryTake());
        _preallocator?.Prepare();
        _segment.Dispose();
        _segment = file;
        _segmentName = SegmentName.For(nextBase);
        _segmentBase = nextBase;
        _segmentLength = SegmentHeader.Size;
    }

    private ILogFile CreateSegment(long basePosition, uint startSequence, uint startChain, bool sync, ILogFile? preallocated = null)
    {
        var name = SegmentName.For(basePosition);
        ILogFile file;
        if (preallocated is not null)
        {
            _storage.Rename(SegmentPreallocator.FileName, name);
            file = preallocated;
        }
        else
        {
            file = _storage.Open(name, LogFileMode.CreateNew);
        }

        try
        {
            Span<byte> header = stackalloc byte[SegmentHeader.Size];
            new SegmentHeader(basePosition, startSequence, startChain).WriteTo(header);
            file.Write(0, header);
            if (sync)
            {
                file.Flush();
                _storage.SyncDirectory();
            }
        }
        catch
        {
            file.Dispose();
            throw;
        }

        lock (_segmentsLock)
        {
            _segmentBases.Add(basePosition);
        }

        return file;
    }

    private void Fail(Exception cause, CommitBatch? batch)
    {
        var failure = LogFailedException.From(cause, _segmentName);
        CommitBatch? open = null;
        lock (_lock)
        {
            _failure ??= failure;
            if (_open.WaiterCount > 0)
            {
                open = _open;
                _open = new CommitBatch(_recycle);
            }
        }

        if (batch is not null)
        {
            batch.Error = failure;
            batch.Dispatch();
        }

        if (open is not null)
        {
            open.Error = failure;
            open.Dispatch();
        }
    }

    private void CloseSegment()
    {
        if (_segment is null)
        {
            return;
        }

        try
        {
            if (_dirty && Failure is null)
            {
                Sync();
            }
        }
#pragma warning disable CA1031 // See WriterLoop: closing runs on the writer thread too.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Fail(ex, null);
        }
        finally
        {
            _segment.Dispose();
            _segment = null;
            _preallocator?.Dispose();
        }
    }

    private void CloseSegmentAfterFailedOpen()
    {
        _segment?.Dispose();
        _segment = null;
    }
}
