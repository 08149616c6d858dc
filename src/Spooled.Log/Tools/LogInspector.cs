using System.Globalization;
using System.Text;
using Spooled.Log.Format;
using Spooled.Log.Reading;
using Spooled.Log.Snapshots;
using Spooled.Log.Storage;

namespace Spooled.Log.Tools;

/// <summary>
/// Read-only checks of a log directory for operators: <c>verify</c> reports every segment, its
/// records and batches, and the verdict recovery would reach (it uses the same analysis, so the two
/// cannot disagree); <c>dump</c> adds one line per record. It never writes, so it is safe on a log
/// another process has open.
/// </summary>
public static class LogInspector
{
    /// <summary>
    /// Writes a verification report to <paramref name="output"/>. Returns 0 when the log is intact,
    /// 1 when recovery would repair it by itself (a torn final batch, an interrupted roll), 2 on
    /// corruption (the log would refuse to open).
    /// </summary>
    public static int Verify(ILogStorage storage, TextWriter output, bool dump = false)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(output);
        var bases = LogAnalyzer.ListSegmentBases(storage);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{bases.Count} segment(s)"));
        SegmentScanner.RecordVisitor? visitor = dump
            ? (long position, in RecordHeader header, ReadOnlySpan<byte> record) =>
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {position,20} {header.Type,-6} len={header.BodyLength,-8} flags={header.Flags} durable-batch={header.DurableBatch} crc={header.Crc:x8}{Describe(header, record)}"))
            : null;
        var analysis = LogAnalyzer.Analyze(storage, bases, visitor);
        for (var i = 0; i < analysis.Scans.Count; i++)
        {
            var scan = analysis.Scans[i];
            var line = new StringBuilder();
            line.Append(CultureInfo.InvariantCulture, $"{scan.Name}: {scan.FileLength} bytes, {scan.DataRecords} record(s) in {scan.Batches} batch(es), last batch {scan.Sequence}");
            if (scan.ZeroTail > 0)
            {
                line.Append(CultureInfo.InvariantCulture, $", data ends at {scan.DataEnd} ({scan.ZeroTail} bytes preallocated)");
            }

            if (scan.PendingCount > 0)
            {
                line.Append(CultureInfo.InvariantCulture, $", {scan.PendingCount} record(s) after the last commit marker");
            }

            output.WriteLine(line.ToString());
            if (i != analysis.Index)
            {
                continue;
            }

            output.WriteLine(analysis.Verdict switch
            {
                LogVerdict.TornTail => string.Create(CultureInfo.InvariantCulture, $"  TORN TAIL at offset {analysis.Offset}: {analysis.Reason}; recovery will cut {scan.FileLength - analysis.Offset} byte(s) of a batch that was never acknowledged"),
                LogVerdict.InterruptedRoll => string.Create(CultureInfo.InvariantCulture, $"  INTERRUPTED ROLL: {analysis.Reason}; the segment holds no record and recovery will remove it"),
                _ => string.Create(CultureInfo.InvariantCulture, $"  CORRUPTION at offset {analysis.Offset}: {analysis.Reason}; the log will refuse to open"),
            });
        }

        var store = new SnapshotStore(storage);
        foreach (var position in store.Positions())
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"snapshot at position {position}"));
        }

        var (code, verdict) = analysis.Verdict switch
        {
            LogVerdict.Intact => (0, "OK"),
            LogVerdict.TornTail => (1, "torn tail (recoverable)"),
            LogVerdict.InterruptedRoll => (1, "interrupted segment roll (recoverable)"),
            _ => (2, "CORRUPT"),
        };
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{analysis.DataRecords} record(s); {verdict}"));
        return code;
    }

    private static string Describe(in RecordHeader header, ReadOnlySpan<byte> record)
    {
        if (header.Type == RecordType.Commit && CommitMarker.TryRead(record[RecordHeader.Size..], out var marker))
        {
            return string.Create(CultureInfo.InvariantCulture, $" batch={marker.Sequence} records={marker.RecordCount} chain={marker.Chain:x8}");
        }

        return string.Empty;
    }
}
