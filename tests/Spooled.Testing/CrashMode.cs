namespace Spooled.Testing;

/// <summary>
/// What <see cref="SimulatedStorage.Crash"/> does with each file's writes and truncations that were not yet
/// flushed when the power went out. A file with nothing pending is never changed, whatever the mode.
/// </summary>
public enum CrashMode
{
    /// <summary>Every pending write and truncation is lost, and so is every unsynced directory change (F1, F9).</summary>
    DropUnsynced = 0,

    /// <summary>
    /// A random-length prefix of the pending operations lands, in issue order; the last one that lands may be
    /// cut at a random byte (a crash in the middle of a sequential append).
    /// </summary>
    KeepPrefix = 1,

    /// <summary>
    /// Each pending write independently lands whole, not at all, or only in some of its 512-byte sectors (F2, F3);
    /// each pending truncation lands or not. The file ends where the last landed byte ends.
    /// </summary>
    Torn = 2,

    /// <summary>As <see cref="KeepPrefix"/>, then the file grows by 1 to 4096 random bytes (F4: size landed, data did not).</summary>
    Garbage = 3,

    /// <summary>As <see cref="KeepPrefix"/>, then the file grows by 1 to 4096 zero bytes (F4, F12: a preallocated zero tail).</summary>
    ZeroTail = 4,

    /// <summary>Each file picks one of the other modes at random.</summary>
    Random = 5,
}
