namespace Spooled.Log.Reading;

/// <summary>What an analysis of a log directory concluded; recovery acts on it and the inspector reports it.</summary>
internal enum LogVerdict : byte
{
    /// <summary>Every segment is intact (the last may end with records after its last marker).</summary>
    Intact = 0,

    /// <summary>The last segment ends in a torn final batch, to be cut.</summary>
    TornTail = 1,

    /// <summary>The last segment was left by an interrupted roll and holds no record, to be removed.</summary>
    InterruptedRoll = 2,

    /// <summary>Damage that may hide acknowledged data: refuse to open.</summary>
    Corrupt = 3,
}
