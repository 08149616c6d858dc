using Spooled.Log.Format;

namespace Spooled.Log.Reading;

/// <summary>The result of <see cref="LogAnalyzer.Analyze"/>: each segment's scan and one verdict.</summary>
internal sealed class LogAnalysis
{
    public required IReadOnlyList<long> Bases { get; init; }

    /// <summary>One scan per segment, oldest first.</summary>
    public List<SegmentScan> Scans { get; } = [];

    public LogVerdict Verdict { get; private set; }

    /// <summary>Index of the segment the verdict is about (-1 when intact).</summary>
    public int Index { get; private set; } = -1;

    /// <summary>Byte offset in that segment of the damage.</summary>
    public long Offset { get; private set; }

    public string? Reason { get; private set; }

    public string? File => Index >= 0 ? SegmentName.For(Bases[Index]) : null;

    public bool Decided => Index >= 0;

    public long DataRecords
    {
        get
        {
            var total = 0L;
            foreach (var scan in Scans)
            {
                total += scan.DataRecords;
            }

            return total;
        }
    }

    public void Decide(LogVerdict verdict, int index, long offset, string reason)
    {
        if (Decided)
        {
            return; // The first problem found is the one recovery acts on.
        }

        Verdict = verdict;
        Index = index;
        Offset = offset;
        Reason = reason;
    }
}
