using System.Globalization;
using System.Text;
using Spooled.Log.Format;
using Spooled.Log.Reading;
using Spooled.Log.Snapshots;
using Spooled.Log.Storage;

namespace Spooled.Log.Tools;

/// <summary>
/// Read-only checks of a log directory for operators: <c>verify</c> reports every segment, its
/// records and batches, and any damage with the classification recovery would apply; <c>dump</c>
/// adds one line per record. It never writes, so it is safe on a log another process has open.
/// </summary>
public static class LogInspector
{
    /// <summary>Writes a verification report to <paramref name="output"/>; returns 0 when the log is intact, 1 when it has a torn tail recovery would cut, 2 on corruption.</summary>
    public static int Verify(ILogStorage storage, TextWriter output, bool dump = false)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(output);
        var bases = new List<long>();
        foreach (var name in storage.ListFiles())
        {
            if (SegmentName.TryParse(name, out var basePosition))
            {
                bases.Add(basePosition);
            }
        }

        bases.Sort();
        var result = 0;
        long totalRecords = 0;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{bases.Count} segment(s)"));
        for (var i = 0; i < bases.Count; i++)
        {
            var name = SegmentName.For(bases[i]);
            var isLast = i == bases.Count - 1;
            using var file = storage.Open(name, LogFileMode.Read);
            SegmentScanner.RecordVisitor? visitor = dump ? (long offset, in RecordHeader header, ReadOnlySpan<byte> record) =>
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {bases[i] + offset,20} {header.Type,-6} len={header.BodyLength,-8} flags={header.Flags} durable-batch={header.DurableBatch} crc={header.Crc:x8}{Describe(header, record)}")) : null;
            var scan = SegmentScanner.Scan(file, bases[i], visitor);
            totalRecords += scan.DataRecords;
            var line = new StringBuilder();
            line.Append(CultureInfo.InvariantCulture, $"{name}: {scan.FileLength} bytes, {scan.DataRecords} record(s) in {scan.Batches} batch(es), last batch {scan.Sequence}");
            if (scan.PendingCount > 0)
            {
                line.Append(CultureInfo.InvariantCulture, $", {scan.PendingCount} record(s) after the last commit marker");
            }

            output.WriteLine(line.ToString());
            if (!scan.Damaged)
            {
                continue;
            }

            var torn = isLast && scan.Header is not null
                && SegmentScanner.FindProofOfDurability(file, bases[i], scan.DamageOffset, scan.Sequence + 1) < 0;
            if (torn)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  TORN TAIL at offset {scan.DamageOffset}: {scan.DamageReason}; recovery will cut {scan.FileLength - scan.DamageOffset} byte(s) of a batch that was never acknowledged"));
                result = Math.Max(result, 1);
            }
            else
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  CORRUPTION at offset {scan.DamageOffset}: {scan.DamageReason}; the log will refuse to open"));
                result = 2;
            }
        }

        var store = new SnapshotStore(storage);
        foreach (var position in store.Positions())
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"snapshot at position {position}"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{totalRecords} record(s); {(result == 0 ? "OK" : result == 1 ? "torn tail (recoverable)" : "CORRUPT")}"));
        return result;
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
