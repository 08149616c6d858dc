using Spooled.Log.Format;
using Spooled.Log.Storage;

namespace Spooled.Log.Reading;

/// <summary>
/// Reads a log directory and classifies it by the recovery policy (see SegmentedLog.Recovery.cs):
/// the one place that decides what is intact, torn, an interrupted roll, or corrupt. Recovery acts on
/// its verdict; the inspector prints it. It never writes.
/// </summary>
internal static class LogAnalyzer
{
    public static List<long> ListSegmentBases(ILogStorage storage)
    {
        var bases = new List<long>();
        foreach (var name in storage.ListFiles())
        {
            if (SegmentName.TryParse(name, out var basePosition))
            {
                bases.Add(basePosition);
            }
        }

        bases.Sort();
        return bases;
    }

    /// <summary>Scans every segment (all of them, so a report is complete) and decides on the first problem.</summary>
    public static LogAnalysis Analyze(ILogStorage storage, IReadOnlyList<long> bases, SegmentScanner.RecordVisitor? visitor = null)
    {
        var analysis = new LogAnalysis { Bases = bases };
        var expectedBase = bases.Count > 0 ? bases[0] : 0;
        var expectedSequence = 0u;
        var expectedChain = 0u;
        for (var i = 0; i < bases.Count; i++)
        {
            var basePosition = bases[i];
            var isLast = i == bases.Count - 1;
            using var file = storage.Open(SegmentName.For(basePosition), LogFileMode.Read);
            var scan = SegmentScanner.Scan(file, basePosition, visitor);
            analysis.Scans.Add(scan);
            if (analysis.Decided)
            {
                continue;
            }

            if (scan.Header is not { } header)
            {
                var interruptedRoll = isLast && (i > 0 || basePosition == 0)
                    && SegmentScanner.FindRecord(file, basePosition, SegmentHeader.Size, static _ => true) < 0;
                analysis.Decide(interruptedRoll ? LogVerdict.InterruptedRoll : LogVerdict.Corrupt, i, 0, scan.DamageReason!);
                continue;
            }

            if (i > 0 && basePosition != expectedBase)
            {
                analysis.Decide(LogVerdict.Corrupt, i, 0, $"the segment starts at position {basePosition} but the previous one ends at {expectedBase}");
                continue;
            }

            if (i > 0 && (header.StartSequence != expectedSequence || header.StartChain != expectedChain))
            {
                analysis.Decide(LogVerdict.Corrupt, i, 0, "the segment's header does not continue the previous segment's commit chain");
                continue;
            }

            if (!isLast)
            {
                if (scan.Damaged)
                {
                    analysis.Decide(LogVerdict.Corrupt, i, scan.DamageOffset, scan.DamageReason!);
                }
                else if (scan.PendingCount > 0)
                {
                    analysis.Decide(LogVerdict.Corrupt, i, scan.ConfirmedEnd, "a sealed segment has records after its last commit marker");
                }
                else if (scan.ZeroTail > 0)
                {
                    // A roll cuts the preallocated tail and syncs before the next segment exists.
                    analysis.Decide(LogVerdict.Corrupt, i, scan.DataEnd, "a sealed segment ends in zero-filled space, where records may have been lost");
                }

                expectedBase = basePosition + scan.FileLength;
                expectedSequence = scan.Sequence;
                expectedChain = scan.Chain;
                continue;
            }

            if (scan.Damaged)
            {
                var proof = SegmentScanner.FindProofOfDurability(file, basePosition, scan.DamageOffset, scan.Sequence + 1);
                if (proof >= 0)
                {
                    analysis.Decide(LogVerdict.Corrupt, i, scan.DamageOffset, $"{scan.DamageReason}; the intact record at offset {proof} was written after this batch had been synced, so this is damage to acknowledged data, not a torn write");
                }
                else
                {
                    analysis.Decide(LogVerdict.TornTail, i, scan.DamageOffset, scan.DamageReason!);
                }
            }
        }

        return analysis;
    }
}
