namespace Spooled.Log;

/// <summary>What opening the log found and did. Nothing in it is silent: every cut byte is counted.</summary>
public sealed class RecoveryReport
{
    /// <summary>Segments found (after any incomplete one was removed).</summary>
    public int Segments { get; internal set; }

    /// <summary>Data records in the log after recovery.</summary>
    public long Records { get; internal set; }

    /// <summary>Position after the last record: where the next append goes.</summary>
    public long EndPosition { get; internal set; }

    /// <summary>The segment whose torn final batch was cut, or <see langword="null"/>.</summary>
    public string? TornSegment { get; internal set; }

    /// <summary>Offset in <see cref="TornSegment"/> where the cut began.</summary>
    public long TornOffset { get; internal set; }

    /// <summary>Bytes of a torn final batch that were cut (never acknowledged under the Fsync policy).</summary>
    public long TornBytesTruncated { get; internal set; }

    /// <summary>A segment file that was created by an interrupted roll and held no record, removed.</summary>
    public string? RemovedIncompleteSegment { get; internal set; }

    /// <summary>Intact records written after the last commit marker, kept and sealed with a new marker.</summary>
    public long RecordsAdopted { get; internal set; }

    /// <summary>In <see cref="RecoveryMode.Repair"/>: the corruption that was cut, or <see langword="null"/>.</summary>
    public LogCorruptionException? RepairedCorruption { get; internal set; }

    /// <summary>In <see cref="RecoveryMode.Repair"/>: the files holding what was cut.</summary>
    public IReadOnlyList<string> RepairCopies { get; internal set; } = [];

    /// <summary>Bytes cut by a repair (they are in <see cref="RepairCopies"/>).</summary>
    public long RepairedBytes { get; internal set; }

    /// <summary>One line for a log.</summary>
    public override string ToString()
    {
        var text = $"{Segments} segment(s), {Records} record(s), end position {EndPosition}";
        if (RemovedIncompleteSegment is not null)
        {
            text += $"; removed incomplete segment {RemovedIncompleteSegment}";
        }

        if (TornBytesTruncated > 0)
        {
            text += $"; cut a torn final batch of {TornBytesTruncated} byte(s) in {TornSegment} at offset {TornOffset}";
        }

        if (RecordsAdopted > 0)
        {
            text += $"; sealed {RecordsAdopted} intact record(s) written after the last commit marker";
        }

        if (RepairedCorruption is not null)
        {
            text += $"; REPAIRED corruption in {RepairedCorruption.File} at offset {RepairedCorruption.Offset}, {RepairedBytes} byte(s) moved to {string.Join(", ", RepairCopies)}";
        }

        return text;
    }
}
