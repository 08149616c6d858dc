namespace Spooled.Log.Storage;

/// <summary>How <see cref="ILogStorage.Open"/> opens a file.</summary>
public enum LogFileMode : byte
{
    /// <summary>Read only; the file must exist.</summary>
    Read = 0,

    /// <summary>Read and write; the file must exist.</summary>
    ReadWrite = 1,

    /// <summary>Read and write; the file must not exist yet and is created empty.</summary>
    CreateNew = 2,
}
