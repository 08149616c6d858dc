namespace Spooled.Log.Tests.Recovery;

/// <summary>What recovery must do with one damaged byte.</summary>
internal enum DamageOutcome
{
    /// <summary>Refuse to open with a <see cref="LogCorruptionException"/> naming the file and offset.</summary>
    Corruption = 0,

    /// <summary>Treat it as a torn final batch: cut from the damaged record on and report the bytes cut.</summary>
    Torn = 1,

    /// <summary>Treat the last segment as left by an interrupted roll (unreadable header, no record) and remove it.</summary>
    RemovedSegment = 2,
}
