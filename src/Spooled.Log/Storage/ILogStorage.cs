namespace Spooled.Log.Storage;

/// <summary>
/// The one seam through which the log touches a disk: a flat directory of files. Everything the log
/// persists (segments, snapshots) goes through it, so tests can swap in a simulated disk that drops,
/// tears or corrupts writes, and decorators can inject I/O errors.
/// </summary>
/// <remarks>
/// Durability contract, which every implementation must honour because recovery reasons about it:
/// bytes written to a file are durable only after <see cref="ILogFile.Flush"/> returns; a created,
/// renamed or deleted directory entry is durable only after <see cref="SyncDirectory"/> returns.
/// Anything not yet durable may vanish, be torn or arrive out of order after a crash.
/// </remarks>
public interface ILogStorage
{
    /// <summary>Names of the files in the directory (no sub-directories), in no particular order.</summary>
    IReadOnlyList<string> ListFiles();

    /// <summary>Whether a file of that name exists.</summary>
    bool Exists(string name);

    /// <summary>Opens a file; see <see cref="LogFileMode"/> for what each mode requires.</summary>
    ILogFile Open(string name, LogFileMode mode);

    /// <summary>Deletes a file if it exists (the directory entry is durable after <see cref="SyncDirectory"/>).</summary>
    void Delete(string name);

    /// <summary>Atomically renames a file, replacing any file of the target name.</summary>
    void Rename(string from, string to);

    /// <summary>Makes every directory entry change so far durable (fsync of the directory).</summary>
    void SyncDirectory();
}
