using System.Buffers;
using Spooled.Log.Format;
using Spooled.Log.Storage;

namespace Spooled.Log.Reading;

/// <summary>
/// Walks a segment record by record, checking every CRC and every commit marker against the records
/// before it, and stops at the first damage. Used by recovery and by the verify tool; it never
/// writes.
/// </summary>
internal static class SegmentScanner
{
    /// <summary>Receives each intact record during a scan (for dumps), with its log position.</summary>
    public delegate void RecordVisitor(long position, in RecordHeader header, ReadOnlySpan<byte> record);

    public static SegmentScan Scan(ILogFile file, long basePosition, RecordVisitor? visitor = null)
    {
        var length = file.Length;
        var scan = new SegmentScan { Name = file.Name, BasePosition = basePosition, FileLength = length, DataEnd = length };
        var reader = new BufferedFileReader(file, length);
        if (!SegmentHeader.TryRead(reader.Get(0, SegmentHeader.Size), out var header, out var error))
        {
            scan.DamageOffset = 0;
            scan.DamageReason = $"invalid segment header: {error}";
            return scan;
        }

        if (header.BasePosition != basePosition)
        {
            scan.DamageOffset = 0;
            scan.DamageReason = $"the header says base position {header.BasePosition} but the file name says {basePosition}";
            return scan;
        }

        scan.Header = header;
        scan.Sequence = header.StartSequence;
        scan.Chain = header.StartChain;
        scan.PendingChain = header.StartChain;
        scan.ValidEnd = SegmentHeader.Size;
        scan.ConfirmedEnd = SegmentHeader.Size;
        var offset = (long)SegmentHeader.Size;
        byte[]? scratch = null;
        while (offset < length)
        {
            var status = reader.DecodeRecord(offset, basePosition + offset, out var recordHeader, out var recordLength);

            if (status != OperationStatus.Done)
            {
                if (IsZeroFrom(reader, offset, length))
                {
                    // Preallocated space: zero-filled when the segment was made, never written since.
                    scan.DataEnd = offset;
                    return scan;
                }

                scan.DamageOffset = offset;
                scan.DamageReason = status == OperationStatus.NeedMoreData
                    ? $"the file ends inside a record ({length - offset} of {recordLength} bytes present)"
                    : "invalid record header or checksum mismatch";
                return scan;
            }

            var record = reader.Get(offset, recordLength);
            if (recordHeader.Type == RecordType.Commit)
            {
                var reason = CheckMarker(scan, record[RecordHeader.Size..]);
                if (reason is not null)
                {
                    scan.DamageOffset = offset;
                    scan.DamageReason = reason;
                    return scan;
                }
            }
            else
            {
                if ((recordHeader.Flags & RecordFlags.Lz4) != 0 && !Decompresses(record[RecordHeader.Size..], ref scratch))
                {
                    scan.DamageOffset = offset;
                    scan.DamageReason = "a compressed record passes its checksum but does not decompress";
                    return scan;
                }

                scan.PendingCount++;
                scan.PendingChain = CommitMarker.ExtendChain(scan.PendingChain, recordHeader.Crc);
                scan.DataRecords++;
            }

            visitor?.Invoke(basePosition + offset, recordHeader, record);
            offset += recordLength;
            scan.ValidEnd = offset;
            if (recordHeader.Type == RecordType.Commit)
            {
                scan.ConfirmedEnd = offset;
            }
        }

        return scan;
    }

    /// <summary>
    /// After damage at <paramref name="damageOffset"/> in batch <paramref name="damagedBatch"/>, looks
    /// for any intact record further on that was written after that batch had been made durable (its
    /// DurableBatch watermark is at or past the damaged batch). Such a record proves the damaged bytes
    /// had been acknowledged, so the damage is corruption, not a torn write. Returns its offset or -1.
    /// </summary>
    public static long FindProofOfDurability(ILogFile file, long basePosition, long damageOffset, uint damagedBatch) =>
        FindRecord(file, basePosition, damageOffset + 1, header => (int)(header.DurableBatch - damagedBatch) >= 0);

    /// <summary>Offset of the first intact record at or after <paramref name="from"/> that satisfies <paramref name="match"/>, or -1.</summary>
    public static long FindRecord(ILogFile file, long basePosition, long from, Func<RecordHeader, bool> match)
    {
        var length = file.Length;
        var reader = new BufferedFileReader(file, length);
        for (var offset = Math.Max(0, from); offset + RecordHeader.Size <= length; offset++)
        {
            var head = reader.Get(offset, RecordHeader.Size);
            if (head[8] == 0)
            {
                // No record has type 0: skip zero runs (preallocated space) in bulk. A header must
                // contain a non-zero byte, so the next candidate starts at most 15 bytes before one.
                var window = reader.Get(offset, 1024 * 1024);
                var nonZero = window.IndexOfAnyExcept((byte)0);
                if (nonZero < 0)
                {
                    offset += Math.Max(0, window.Length - RecordHeader.Size);
                    continue;
                }

                offset = Math.Max(offset, offset + nonZero - RecordHeader.Size);
                head = reader.Get(offset, RecordHeader.Size);
            }

            var header = RecordHeader.Read(head);
            if (header.Type is not (RecordType.Data or RecordType.Commit) || header.Version != (byte)FormatVersion.V1 || head[11] != 0
                || header.BodyLength < 0 || header.BodyLength > length - offset - RecordHeader.Size)
            {
                continue; // Cheap rejection before reading a body.
            }

            var status = RecordHeader.TryDecode(reader.Get(offset, RecordHeader.Size + header.BodyLength), basePosition + offset, out header, out _);
            if (status == OperationStatus.Done && match(header))
            {
                return offset;
            }
        }

        return -1;
    }

    private static bool IsZeroFrom(BufferedFileReader reader, long offset, long length)
    {
        for (var at = offset; at < length;)
        {
            var chunk = reader.Get(at, 1024 * 1024);
            if (chunk.IsEmpty || chunk.IndexOfAnyExcept((byte)0) >= 0)
            {
                return chunk.IsEmpty;
            }

            at += chunk.Length;
        }

        return true;
    }

    private static bool Decompresses(ReadOnlySpan<byte> body, ref byte[]? scratch)
    {
        if (!CompressedBody.TryGetOriginalLength(body, out var original))
        {
            return false;
        }

        if (scratch is null || scratch.Length < original)
        {
            scratch = new byte[Math.Max(original, scratch?.Length * 2 ?? 0)];
        }

        return CompressedBody.TryDecode(body, scratch.AsSpan(0, original));
    }

    private static string? CheckMarker(SegmentScan scan, ReadOnlySpan<byte> body)
    {
        if (!CommitMarker.TryRead(body, out var marker))
        {
            return "commit marker with a non-zero reserved field";
        }

        var expected = scan.Sequence + 1;
        if (marker.Sequence != expected)
        {
            return $"commit marker for batch {marker.Sequence} where batch {expected} was expected";
        }

        if (marker.RecordCount != scan.PendingCount || marker.Chain != scan.PendingChain)
        {
            return $"commit marker of batch {marker.Sequence} does not match the records before it ({marker.RecordCount} expected, {scan.PendingCount} found, or their checksums differ)";
        }

        scan.Sequence = marker.Sequence;
        scan.Chain = marker.Chain;
        scan.PendingCount = 0;
        scan.Batches++;
        return null;
    }
}
