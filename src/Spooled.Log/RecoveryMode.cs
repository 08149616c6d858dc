namespace Spooled.Log;

/// <summary>What opening a log does when it finds damage that is not a torn final batch.</summary>
public enum RecoveryMode : byte
{
    /// <summary>Refuse to open with a <see cref="LogCorruptionException"/> naming the file and offset.</summary>
    Strict = 0,

    /// <summary>
    /// Truncate at the first bad record, moving everything cut (the rest of that segment and every
    /// later segment) into files ending in <c>.cut</c> beside the log, and open. Acknowledged records
    /// after the damage are lost from the log but kept in those files. For an operator who has read the
    /// corruption report, never a default.
    /// </summary>
    Repair = 1,
}
