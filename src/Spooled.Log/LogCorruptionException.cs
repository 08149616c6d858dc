namespace Spooled.Log;

/// <summary>
/// The log found damage that cannot be a torn final write, so it may hold acknowledged data; opening
/// was refused rather than dropping that data silently. Names the file and the byte offset.
/// </summary>
public sealed class LogCorruptionException : Exception
{
    /// <summary>Creates the exception for damage in <paramref name="file"/> at <paramref name="offset"/>.</summary>
    public LogCorruptionException(string file, long offset, string reason)
        : base($"Log corruption in '{file}' at byte offset {offset}: {reason}. Acknowledged data may follow this point, so the log refuses to open. Inspect it with 'log verify', and open with RecoveryMode.Repair (which keeps a copy of everything it cuts) only after deciding that losing the data after this point is acceptable.")
    {
        File = file;
        Offset = offset;
        Reason = reason;
    }

    /// <summary>Creates the exception with a message.</summary>
    public LogCorruptionException()
        : this("(unknown)", 0, "unspecified")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public LogCorruptionException(string message)
        : this("(unknown)", 0, message)
    {
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public LogCorruptionException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = "(unknown)";
        Reason = message;
    }

    /// <summary>The damaged file's name.</summary>
    public string File { get; }

    /// <summary>Byte offset of the damage inside <see cref="File"/>.</summary>
    public long Offset { get; }

    /// <summary>What was wrong.</summary>
    public string Reason { get; }
}
