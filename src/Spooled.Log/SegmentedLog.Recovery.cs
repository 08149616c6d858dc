using Spooled.Log.Format;
using Spooled.Log.Reading;
using Spooled.Log.Storage;
using Spooled.Log.Writing;

namespace Spooled.Log;

/// <content>
/// Recovery on open. The policy, which every test of the format defends:
/// <list type="number">
/// <item>Segments are checked oldest first. Each must follow the previous one exactly: its base
/// position is where the previous ended, and its header carries the previous one's last commit
/// marker (sequence and chain).</item>
/// <item>A segment that is not the last was synced in full before its successor was created, so
/// any damage in it, or records after its last commit marker, is corruption.</item>
/// <item>In the last segment, damage (a record that is cut short, fails its CRC, or a marker that
/// does not match the records before it) lies in the batch after the last valid marker. If any
/// intact record further on carries a DurableBatch watermark at or past that batch, the batch had
/// been synced before that record was written, so the damage is to acknowledged data: corruption.
/// Otherwise it is a torn final write: the file is cut at the first damaged record and the bytes
/// cut are reported.</item>
/// <item>Intact records after the last marker (their batch's marker was lost) were never
/// acknowledged; they are kept and sealed with a new marker, so a later crash treats them as any
/// other synced batch.</item>
/// <item>A last segment whose header is unreadable and which holds no intact record was left by an
/// interrupted roll (the header is synced before any record is written); it is removed.</item>
/// <item>Corruption refuses to open (<see cref="LogCorruptionException"/>), unless the options ask
/// for <see cref="RecoveryMode.Repair"/>: then everything from the damage on is moved to
/// <c>.cut</c> files, and recovery starts over.</item>
/// </list>
/// Every write recovery makes (a cut, a new marker) is synced before the log accepts appends, and
/// recovering an already recovered log changes nothing.
/// </content>
public sealed partial class SegmentedLog
{
    private void Recover()
    {
        var report = new RecoveryReport();
        for (var attempt = 0; ; attempt++)
        {
            if (attempt > 10_000)
            {
                throw new InvalidOperationException("Recovery did not converge.");
            }

            if (RecoverOnce(report))
            {
                break;
            }
        }

        // Leftovers of interrupted work, removed only once the log is known to open: a refused open
        // changes nothing.
        Snapshots.RemoveTemporaryFiles();
        if (_storage.Exists(SegmentPreallocator.FileName))
        {
            _storage.Delete(SegmentPreallocator.FileName);
            _storage.SyncDirectory();
        }

        Recovery = report;
    }

    /// <summary>One pass; <see langword="false"/> when it changed the files in a way that needs a fresh pass.</summary>
    private bool RecoverOnce(RecoveryReport report)
    {
        var bases = LogAnalyzer.ListSegmentBases(_storage);
        if (bases.Count == 0)
        {
            StartEmpty(0, report);
            return true;
        }

        var analysis = LogAnalyzer.Analyze(_storage, bases);
        switch (analysis.Verdict)
        {
            case LogVerdict.Corrupt:
                return Corrupt(analysis.File!, analysis.Offset, analysis.Reason!, analysis.Index, bases, report);
            case LogVerdict.InterruptedRoll:
                _storage.Delete(analysis.File!);
                _storage.SyncDirectory();
                report.RemovedIncompleteSegment = analysis.File;
                return false;
        }

        var scan = analysis.Scans[^1];
        var file = _storage.Open(scan.Name, LogFileMode.ReadWrite);
        var length = scan.DataEnd;
        try
        {
            if (analysis.Verdict == LogVerdict.TornTail)
            {
                report.TornSegment = scan.Name;
                report.TornOffset = analysis.Offset;
                report.TornBytesTruncated += scan.FileLength - analysis.Offset;
                file.Truncate(analysis.Offset);
                length = analysis.Offset;
            }

            // Whatever survived may sit only in the page cache (a killed process): make it durable
            // before any new record is stamped as written after it.
            file.Flush();
        }
        catch
        {
            file.Dispose();
            throw;
        }

        _segment = file;
        _segmentName = scan.Name;
        _segmentBase = scan.BasePosition;
        _segmentLength = length;
        _sequence = scan.Sequence;
        _chain = scan.Chain;
        _durableSequence = _sequence;
        if (scan.PendingCount > 0)
        {
            SealAdoptedRecords(scan.PendingCount, scan.PendingChain);
            report.RecordsAdopted += scan.PendingCount;
        }

        lock (_segmentsLock)
        {
            _segmentBases.Clear();
            _segmentBases.AddRange(bases);
        }

        report.Segments = bases.Count;
        report.Records = analysis.DataRecords;
        report.EndPosition = _segmentBase + _segmentLength;
        _acknowledgedEnd = report.EndPosition;
        return true;
    }

    private void StartEmpty(long basePosition, RecoveryReport report)
    {
        _segment = CreateSegment(basePosition, 0, 0, sync: true);
        _segmentName = SegmentName.For(basePosition);
        _segmentBase = basePosition;
        _segmentLength = SegmentHeader.Size;
        _sequence = 0;
        _chain = 0;
        _durableSequence = 0;
        report.Segments = 1;
        report.EndPosition = basePosition + SegmentHeader.Size;
        _acknowledgedEnd = report.EndPosition;
    }

    private void SealAdoptedRecords(uint count, uint chain)
    {
        var marker = new CommitMarker(_sequence + 1, count, chain);
        marker.WriteRecord(_markerScratch, _segmentBase + _segmentLength, _durableSequence);
        _segment!.Write(_segmentLength, _markerScratch);
        _segment.Flush();
        _segmentLength += CommitMarker.RecordSize;
        _sequence = marker.Sequence;
        _chain = chain;
        _durableSequence = _sequence;
    }

    /// <summary>Throws in strict mode; in repair mode cuts from the damage on and asks for another pass.</summary>
    private bool Corrupt(string name, long offset, string reason, int index, IReadOnlyList<long> bases, RecoveryReport report)
    {
        var corruption = new LogCorruptionException(name, offset, reason);
        if (_options.Recovery != RecoveryMode.Repair)
        {
            throw corruption;
        }

        // Every step is safe to interrupt: the copy is redone from scratch, later segments go aside
        // before the damaged one is cut (so it is the last segment by then, and its intact records
        // after the last marker are adopted as usual), and a pass after an interruption reaches the
        // same cut.
        var copies = new List<string>(report.RepairCopies);
        var cutBytes = 0L;
        string? copyName = null;
        if (offset > SegmentHeader.Size)
        {
            copyName = $"{name}.{offset}.cut";
            _storage.Delete(copyName);
            using var file = _storage.Open(name, LogFileMode.Read);
            var length = file.Length;
            using var copy = _storage.Open(copyName, LogFileMode.CreateNew);
            var buffer = new byte[1024 * 1024];
            for (var at = offset; at < length;)
            {
                var read = file.Read(at, buffer);
                if (read == 0)
                {
                    break;
                }

                copy.Write(at - offset, buffer.AsSpan(0, read));
                at += read;
            }

            copy.Flush();
            cutBytes += length - offset;
        }

        for (var j = bases.Count - 1; j > index; j--)
        {
            cutBytes += MoveAside(SegmentName.For(bases[j]), copies);
        }

        if (copyName is null)
        {
            // Nothing of the damaged segment is usable: move the whole file aside.
            cutBytes += MoveAside(name, copies);
            _storage.SyncDirectory();
        }
        else
        {
            _storage.SyncDirectory();
            using var file = _storage.Open(name, LogFileMode.ReadWrite);
            file.Truncate(offset);
            file.Flush();
            copies.Add(copyName);
        }

        report.RepairedCorruption ??= corruption;
        report.RepairCopies = copies;
        report.RepairedBytes += cutBytes;
        return false;
    }

    private long MoveAside(string name, List<string> copies)
    {
        long length;
        using (var file = _storage.Open(name, LogFileMode.Read))
        {
            length = file.Length;
        }

        var copyName = name + ".cut";
        _storage.Rename(name, copyName);
        copies.Add(copyName);
        return length;
    }
}
